/// A short video: equally sized RGB frames at a fixed frame rate (a world-model clip, a rollout recording).
///
/// ```swift
/// let clip = try VideoClip(frames: [first, second], framesPerSecond: 10)
/// clip.last   // the frame that conditions the next world-model chunk
/// ```
public struct VideoClip: Sendable, Equatable {
    /// The frames in time order, all of the same size.
    public let frames: [RGBImage]
    /// Frames per second (> 0).
    public let framesPerSecond: Double

    /// Creates a clip.
    /// - Throws: ``ValidationError`` if there are no frames, their sizes differ, or the rate is not positive.
    public init(frames: [RGBImage], framesPerSecond: Double) throws {
        guard let first = frames.first else { throw ValidationError.empty(argument: "frames") }
        try Validate.positive(framesPerSecond, "framesPerSecond")
        for (i, frame) in frames.enumerated() where frame.width != first.width || frame.height != first.height {
            throw ValidationError.shapeMismatch(argument: "frames[\(i)]", expected: "\(first.width)x\(first.height)",
                                                actual: "\(frame.width)x\(frame.height)")
        }
        self.frames = frames
        self.framesPerSecond = framesPerSecond
    }

    /// Frame width in pixels.
    public var width: Int { frames[0].width }
    /// Frame height in pixels.
    public var height: Int { frames[0].height }
    /// The last frame.
    public var last: RGBImage { frames[frames.count - 1] }
    /// Duration in seconds.
    public var duration: Double { Double(frames.count) / framesPerSecond }
}
