/// Port: a store of recorded episodes (demonstrations for SFT and world-model training, rollouts for review).
///
/// ```swift
/// try await store.save(episode)
/// for summary in try await store.list(task: "place_cube") where summary.success {
///     let demo = try await store.load(id: summary.id)
/// }
/// ```
public protocol EpisodeStore: Sendable {
    /// Saves an episode atomically; an episode with the same id is replaced.
    func save(_ episode: Episode) async throws
    /// Loads an episode, throwing ``EpisodeStoreError/notFound(id:)`` if it is absent.
    func load(id: String) async throws -> Episode
    /// Summaries of the stored episodes, optionally of one task, ordered by id.
    func list(task: String?) async throws -> [EpisodeSummary]
    /// Removes an episode, throwing ``EpisodeStoreError/notFound(id:)`` if it is absent.
    func remove(id: String) async throws
}

/// One recorded episode: what the camera saw, the states and the action chunks executed.
public struct Episode: Sendable, Equatable {
    /// A unique id.
    public var id: String
    /// The task name.
    public var task: String
    /// The instruction given to the policy.
    public var instruction: String
    /// The seed the episode was reset with.
    public var seed: UInt64
    /// The camera recording (initial frame first, then one per executed action).
    public var video: VideoClip
    /// The state before each chunk.
    public var states: [RobotState]
    /// The executed chunks, in order.
    public var chunks: [ActionChunk]
    /// Whether the task succeeded.
    public var success: Bool

    /// Creates an episode.
    /// - Throws: ``ValidationError`` if the id is empty or `states` and `chunks` differ in count.
    public init(id: String, task: String, instruction: String, seed: UInt64, video: VideoClip, states: [RobotState],
                chunks: [ActionChunk], success: Bool) throws {
        guard !id.isEmpty else { throw ValidationError.empty(argument: "id") }
        try Validate.count(states.count, equals: chunks.count, "states")
        self.id = id
        self.task = task
        self.instruction = instruction
        self.seed = seed
        self.video = video
        self.states = states
        self.chunks = chunks
        self.success = success
    }

    /// The summary of this episode.
    public var summary: EpisodeSummary {
        EpisodeSummary(id: id, task: task, chunkCount: chunks.count, frameCount: video.frames.count, success: success)
    }
}

/// The listing entry of an episode.
public struct EpisodeSummary: Sendable, Equatable, Hashable {
    /// The episode id.
    public var id: String
    /// The task name.
    public var task: String
    /// Executed chunks.
    public var chunkCount: Int
    /// Recorded frames.
    public var frameCount: Int
    /// Whether the task succeeded.
    public var success: Bool

    /// Creates a summary.
    public init(id: String, task: String, chunkCount: Int, frameCount: Int, success: Bool) {
        self.id = id
        self.task = task
        self.chunkCount = chunkCount
        self.frameCount = frameCount
        self.success = success
    }
}

/// Errors of an ``EpisodeStore``.
public enum EpisodeStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No episode has this id.
    case notFound(id: String)
    /// The stored data could not be read back; `detail` says why.
    case corrupt(id: String, detail: String)

    /// A one-line message.
    public var description: String {
        switch self {
        case .notFound(let id): return "episode '\(id)' not found"
        case .corrupt(let id, let detail): return "episode '\(id)' is corrupt: \(detail)"
        }
    }
}
