import ProphRLCore

/// A fake ``VideoReader`` and ``VideoWriter`` keeping clips by path, losslessly.
public actor InMemoryVideoStore: VideoReader, VideoWriter {
    private var clips: [String: VideoClip] = [:]

    /// An empty store.
    public init() {}

    /// The clip written at `path`.
    public func read(path: String) async throws -> VideoClip {
        guard let clip = clips[path] else { throw VideoIOError.notFound(path: path) }
        return clip
    }

    /// Stores `clip` at `path`.
    public func write(_ clip: VideoClip, path: String) async throws {
        guard !path.isEmpty else { throw ValidationError.empty(argument: "path") }
        clips[path] = clip
    }

    /// The stored paths, sorted.
    public func paths() -> [String] { clips.keys.sorted() }
}
