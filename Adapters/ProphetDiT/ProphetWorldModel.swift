import Foundation
import ProphRLCore
import TensorEngine

/// The `WorldModel` port backed by a trained ``ProphetModel``: encodes the current frame and the history,
/// samples the next chunk with a seeded Karras sampler, decodes it.
public final class ProphetWorldModel: WorldModel, @unchecked Sendable {
    // @unchecked: `model` holds reference-type modules; every access goes through `lock`.
    private let model: ProphetModel
    private let lock = NSLock()
    /// The sampler used for predictions.
    public let sampler: KarrasSampler
    /// The frame size and rate the model works at.
    public let frameFormat: FrameFormat

    /// Wraps `model` (which must not be used elsewhere afterwards).
    public init(model: ProphetModel, sampler: KarrasSampler = .fast) {
        self.model = model
        self.sampler = sampler
        let cfg = model.configuration
        frameFormat = FrameFormat(width: cfg.width, height: cfg.height, framesPerSecond: cfg.framesPerSecond)
    }

    /// Predicts the chunk that follows `context` under `actions`. A model trained with action frames draws the
    /// chunk integrated from `context.state` through its stored camera, so it needs the state. A model with a
    /// reference refiner sharpens the chunk against the context's first frame (the rollout's real start).
    /// - Throws: ``ValidationError`` naming `context` (empty, wrong frame size), `actions` (wrong steps or
    ///   dimension), `context.state` (nil for a model with action frames, or effectors not matching the chunk) or
    ///   `actionFrameRendering` (a model with action frames saved without a camera).
    public func predict(context: WorldModelContext, actions: ActionChunk, seed: UInt64) async throws -> VideoClip {
        let cfg = frameFormat
        guard !context.frames.isEmpty else {
            throw ValidationError.invalid(argument: "context", reason: "expected at least the current frame, got no frames")
        }
        for frame in context.frames where frame.width != cfg.width || frame.height != cfg.height {
            throw ValidationError.shapeMismatch(argument: "context", expected: "\(cfg.width)x\(cfg.height) frames",
                                                actual: "\(frame.width)x\(frame.height)")
        }
        let modelConfig = model.configuration
        try Validate.count(actions.steps, equals: modelConfig.chunkFrames, "actions.steps")
        try Validate.count(actions.flatDimension, equals: modelConfig.actionDimension, "actions.flatDimension")
        let window = Array(context.frames.suffix(1 + 4 * modelConfig.historyLatents))
        var actionFramePixels: Tensor?
        if modelConfig.actionFrames {
            guard let state = context.state else {
                throw ValidationError.invalid(argument: "context.state",
                                              reason: "expected the robot state at the current frame (this model was trained with action frames), got nil")
            }
            guard let rendering = modelConfig.actionFrameRendering else {
                throw ValidationError.invalid(argument: "actionFrameRendering", reason: "expected a camera for the action frames, got none")
            }
            let pixels = try rendering.pixels(rendering.markers(state: state, chunk: actions), width: cfg.width, height: cfg.height)
            actionFramePixels = try Tensor(pixels, shape: [1, actions.steps + 1, cfg.height, cfg.width, 3])
        }
        let video = try lock.withLock {
            let frames = try Self.tensor(frames: window)
            let history = try model.historyLatents(frames: frames)
            let current = try frames.slice(axis: 1, (window.count - 1)..<window.count)
            // The oldest frame of the context is the rollout's real start: the refiner's reference (models without one skip it).
            let reference = model.autoencoder.refinesWithReference ? try Self.tensor(frames: [context.frames[0]]) : nil
            let actionTensor = try Tensor(model.preparedActions(actions.values), shape: [1, actions.values.count])
            let actionFrames = try actionFramePixels.map { [try model.actionFrameLatents(pixels: $0)] }
            return try model.rollout(start: current, actionChunks: [actionTensor], history: history, actionFrameLatents: actionFrames,
                                     reference: reference, sampler: sampler, seed: seed)
        }
        let generated = try Self.images(video: video.slice(axis: 1, 1..<video.shape[1]))
        return try VideoClip(frames: generated, framesPerSecond: cfg.framesPerSecond)
    }

    /// Frames as a `[1, N, H, W, 3]` tensor in [-1, 1].
    public static func tensor(frames: [RGBImage]) throws -> Tensor {
        guard let first = frames.first else {
            throw ValidationError.invalid(argument: "frames", reason: "expected at least one frame, got none")
        }
        var values: [Float] = []
        values.reserveCapacity(frames.count * first.pixels.count)
        for frame in frames {
            guard frame.width == first.width, frame.height == first.height else {
                throw ValidationError.shapeMismatch(argument: "frames", expected: "\(first.width)x\(first.height)",
                                                    actual: "\(frame.width)x\(frame.height)")
            }
            values.append(contentsOf: frame.pixels.map { Float($0) / 127.5 - 1 })
        }
        return try Tensor(values, shape: [1, frames.count, first.height, first.width, 3])
    }

    /// The frames of sample 0 of video `[B, N, H, W, 3]` in [-1, 1] as images.
    public static func images(video: Tensor, sample: Int = 0) throws -> [RGBImage] {
        let (n, h, w) = (video.shape[1], video.shape[2], video.shape[3]), size = h * w * 3
        let scalars = video.scalars
        return try (0..<n).map { f in
            let start = (sample * n + f) * size
            let pixels = scalars[start..<(start + size)].map { UInt8(Swift.max(0, Swift.min(255, (($0 + 1) * 127.5).rounded()))) }
            return try RGBImage(width: w, height: h, pixels: pixels)
        }
    }
}
