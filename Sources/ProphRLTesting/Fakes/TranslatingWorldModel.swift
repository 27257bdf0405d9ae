import ProphRLCore

/// A fake ``WorldModel``: each predicted frame is the previous one shifted by the action's x/y translation
/// (`pixelsPerMeter` pixels per metre, wrapping at the borders), so motion in the clip follows the actions
/// and a flow estimator can recover it.
public struct TranslatingWorldModel: WorldModel {
    /// The frame format.
    public let frameFormat: FrameFormat
    /// Scale from metres of end-effector translation to pixels of image motion.
    public let pixelsPerMeter: Double

    /// Creates the model.
    public init(frameFormat: FrameFormat, pixelsPerMeter: Double = 100) {
        self.frameFormat = frameFormat
        self.pixelsPerMeter = pixelsPerMeter
    }

    /// One frame per action of the first effector; `seed` is unused (the fake is deterministic).
    public func predict(context: WorldModelContext, actions: ActionChunk, seed: UInt64) async throws -> VideoClip {
        guard var frame = context.current else { throw ValidationError.empty(argument: "context.frames") }
        guard frame.width == frameFormat.width, frame.height == frameFormat.height else {
            throw ValidationError.shapeMismatch(argument: "context.frames", expected: "\(frameFormat.width)x\(frameFormat.height)",
                                                actual: "\(frame.width)x\(frame.height)")
        }
        var frames: [RGBImage] = []
        for c in 0..<actions.steps {
            guard let action = try actions.action(step: c, effector: 0) else { break }
            frame = Self.shifted(frame, dx: Int((action.x * pixelsPerMeter).rounded()),
                                 dy: Int((action.y * pixelsPerMeter).rounded()))
            frames.append(frame)
        }
        return try VideoClip(frames: frames, framesPerSecond: frameFormat.framesPerSecond)
    }

    /// `image` moved by (dx, dy) pixels with wrap-around.
    public static func shifted(_ image: RGBImage, dx: Int, dy: Int) -> RGBImage {
        var out = image
        let w = image.width, h = image.height
        for y in 0..<h {
            for x in 0..<w {
                let sx = ((x - dx) % w + w) % w, sy = ((y - dy) % h + h) % h
                out[x, y] = image[sx, sy]
            }
        }
        return out
    }
}
