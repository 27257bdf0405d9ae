import ProphRLCore

/// A fake ``Camera`` that returns its frames in order and then repeats the last one.
public actor ScriptedCamera: Camera {
    /// The frame format (that of the first frame).
    public nonisolated let frameFormat: FrameFormat
    private let frames: [RGBImage]
    private var next = 0

    /// Creates the camera.
    /// - Throws: ``ValidationError`` if there are no frames.
    public init(frames: [RGBImage], framesPerSecond: Double = 30) throws {
        guard let first = frames.first else { throw ValidationError.empty(argument: "frames") }
        self.frames = frames
        frameFormat = FrameFormat(width: first.width, height: first.height, framesPerSecond: framesPerSecond)
    }

    /// The next frame.
    public func capture() async throws -> RGBImage {
        defer { next = min(next + 1, frames.count - 1) }
        return frames[next]
    }

    /// Starts over from the first frame.
    public func rewind() { next = 0 }
}
