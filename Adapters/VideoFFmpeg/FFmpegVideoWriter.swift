import ProphRLCore

/// The ``VideoWriter`` port over FFmpeg: writes a clip atomically with the chosen codec (by default from the
/// extension: mp4 → H.264 yuv420p, mkv → FFV1, avi → MPEG-4, webm → VP9, `%05d.png` pattern → PNG images).
///
/// ```swift
/// try await FFmpegVideoWriter(codec: .losslessRGB).write(clip, path: "fixture.mp4")   // bit-exact round trip
/// ```
public struct FFmpegVideoWriter: VideoWriter {
    /// The codec, or nil to pick it from the path's extension.
    public let codec: FFmpegVideoCodec?
    /// Encoder threads (0 = FFmpeg's choice).
    public let threads: Int

    /// Creates a writer.
    public init(codec: FFmpegVideoCodec? = nil, threads: Int = 0) {
        self.codec = codec
        self.threads = threads
    }

    /// Encodes `clip` to `path` (temporary file, fsync, rename).
    /// - Throws: ``VideoIOError/codec(path:detail:)`` naming the file and FFmpeg's reason.
    public func write(_ clip: VideoClip, path: String) async throws {
        try writeSync(clip, path: path)
    }

    /// Synchronous form of ``write(_:path:)``.
    public func writeSync(_ clip: VideoClip, path: String) throws {
        let encoder = try FFmpegVideoEncoder(path: path, width: clip.width, height: clip.height,
                                             framesPerSecond: clip.framesPerSecond, codec: codec, threads: threads)
        for frame in clip.frames { try encoder.append(frame) }
        try encoder.finish()
    }
}
