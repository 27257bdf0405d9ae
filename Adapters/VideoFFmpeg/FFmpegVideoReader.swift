import ProphRLCore

/// The ``VideoReader`` port over FFmpeg: decodes a whole file into a ``VideoClip`` (RGB24), optionally resized.
///
/// ```swift
/// let clip = try await FFmpegVideoReader(outputSize: (64, 64)).read(path: "real.mp4")
/// ```
public struct FFmpegVideoReader: VideoReader {
    /// Resize every frame to this size, if set.
    public let outputSize: (width: Int, height: Int)?
    /// Decoder threads (0 = FFmpeg's choice).
    public let threads: Int

    /// Creates a reader.
    public init(outputSize: (width: Int, height: Int)? = nil, threads: Int = 0) {
        self.outputSize = outputSize
        self.threads = threads
    }

    /// Decodes every frame of `path`; the clip's rate is the stream's average frame rate (30 if unknown).
    /// - Throws: ``VideoIOError`` naming the file and FFmpeg's reason.
    public func read(path: String) async throws -> VideoClip {
        try readSync(path: path)
    }

    /// Synchronous form of ``read(path:)``.
    public func readSync(path: String) throws -> VideoClip {
        let decoder = try FFmpegVideoDecoder(path: path, outputSize: outputSize, threads: threads)
        let frames = try decoder.readAll().map(\.image)
        return try VideoClip(frames: frames, framesPerSecond: decoder.framesPerSecond > 0 ? decoder.framesPerSecond : 30)
    }
}
