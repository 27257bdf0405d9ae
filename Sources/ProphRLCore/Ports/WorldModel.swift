/// Port: an action-conditioned video world model (Prophet): first frame + history + action chunk → next clip.
///
/// ```swift
/// func rollout(_ model: some WorldModel, start: RGBImage, chunks: [ActionChunk]) async throws -> [VideoClip] {
///     var context = WorldModelContext(frames: [start])
///     var clips: [VideoClip] = []
///     for chunk in chunks {
///         let clip = try await model.predict(context: context, actions: chunk, seed: 7)
///         context.frames.append(contentsOf: clip.frames)   // history memory; the last frame conditions the next chunk
///         clips.append(clip)
///     }
///     return clips
/// }
/// ```
public protocol WorldModel: Sendable {
    /// The frame size and rate the model works at.
    var frameFormat: FrameFormat { get }

    /// Predicts the frames that follow `context` when the robot executes `actions` (one frame per action).
    ///
    /// `seed` fixes the sampler's noise, so the same inputs give the same clip.
    func predict(context: WorldModelContext, actions: ActionChunk, seed: UInt64) async throws -> VideoClip
}

/// The frames a world model conditions on: the current frame last, older history before it, and optionally the
/// robot state at the current frame.
public struct WorldModelContext: Sendable, Equatable {
    /// History frames in time order; the last is the current frame.
    public var frames: [RGBImage]
    /// The robot state at the current frame, or nil when unknown. Models that draw the action chunk as action
    /// frames (flow-eval.md §5) integrate the chunk from it into tool poses and need it; others ignore it.
    public var state: RobotState?

    /// Creates a context from at least the current frame and, optionally, the robot state at that frame.
    public init(frames: [RGBImage], state: RobotState? = nil) {
        self.frames = frames
        self.state = state
    }

    /// The current frame, or nil for an empty context.
    public var current: RGBImage? { frames.last }
}

/// Size and rate of the frames a model or camera produces.
public struct FrameFormat: Sendable, Equatable, Hashable {
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int
    /// Frames per second.
    public var framesPerSecond: Double

    /// Creates a format.
    public init(width: Int, height: Int, framesPerSecond: Double) {
        self.width = width
        self.height = height
        self.framesPerSecond = framesPerSecond
    }
}
