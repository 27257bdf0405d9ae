import ProphRLCore

/// A ``Camera`` that plays a recorded video (through any ``VideoReader``), for replaying deployments and
/// for tests of the deployment path without a physical camera.
public actor VideoFileCamera: Camera {
    /// The video's frame format.
    public nonisolated let frameFormat: FrameFormat
    private let clip: VideoClip
    private var next = 0

    /// Loads the video at `path`.
    public init(reader: some VideoReader, path: String) async throws {
        clip = try await reader.read(path: path)
        frameFormat = FrameFormat(width: clip.width, height: clip.height, framesPerSecond: clip.framesPerSecond)
    }

    /// The next frame; the last frame repeats at the end of the video.
    public func capture() async throws -> RGBImage {
        defer { next = min(next + 1, clip.frames.count - 1) }
        return clip.frames[next]
    }
}
