/// Port: reads a video file (FFmpeg in production) into frames.
///
/// ```swift
/// let clip = try await reader.read(path: "rollout.mp4")
/// let psnr = try ImageMetrics.psnr(generated: clip.frames[0], reference: expected)
/// ```
public protocol VideoReader: Sendable {
    /// Decodes every frame of the video at `path` as RGB24.
    func read(path: String) async throws -> VideoClip
}

/// Port: writes frames to a video file (FFmpeg H.264/MP4 in production), atomically.
///
/// ```swift
/// try await writer.write(clip, path: "out/rollout.mp4")
/// ```
public protocol VideoWriter: Sendable {
    /// Encodes `clip` to `path`; a partially written file never replaces an existing one.
    func write(_ clip: VideoClip, path: String) async throws
}

/// Errors of the video ports.
public enum VideoIOError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Nothing exists at the path.
    case notFound(path: String)
    /// The file could not be decoded or encoded; `detail` says why.
    case codec(path: String, detail: String)

    /// A one-line message.
    public var description: String {
        switch self {
        case .notFound(let path): return "video '\(path)' not found"
        case .codec(let path, let detail): return "video '\(path)': \(detail)"
        }
    }
}
