/// Port: something a policy acts in — the Bullet simulator, the world model wrapped as an environment, or the
/// real UR30e.
///
/// ```swift
/// var observation = try await environment.reset(task: "pick_up_bottle", seed: 3)
/// for _ in 0..<maxChunks {
///     let sample = try await policy.act(on: observation, sampling: .deterministic)
///     let step = try await environment.step(sample.chunk)
///     observation = step.observation
///     if step.isDone { break }
/// }
/// ```
public protocol Environment: Sendable {
    /// What the environment is and how it is driven.
    var description: EnvironmentDescription { get }

    /// Starts a new episode of `task` with every random choice seeded by `seed`.
    func reset(task: String, seed: UInt64) async throws -> Observation

    /// Executes a chunk of actions, action by action, stopping early at termination.
    func step(_ chunk: ActionChunk) async throws -> EnvironmentStep

    /// Brings the environment to a safe stop and releases it.
    func close() async throws

    /// The frames of the running episode that precede the observation `reset` returned: empty unless the
    /// environment resumes a recorded episode part-way (a world model started mid-episode). A reward model that
    /// scores the whole episode puts them first.
    func framesBeforeReset() async -> [RGBImage]
}

extension Environment {
    /// Empty: the episode begins at the observation `reset` returns.
    public func framesBeforeReset() async -> [RGBImage] { [] }
}

/// Static facts about an environment.
public struct EnvironmentDescription: Sendable, Equatable {
    /// A short name, e.g. "bullet-ur30e".
    public var name: String
    /// The tasks it can reset to.
    public var tasks: [String]
    /// How a 7-D action is interpreted.
    public var actionSemantics: ActionSemantics
    /// Actions executed per second.
    public var controlRate: Double
    /// Camera frame format.
    public var frameFormat: FrameFormat

    /// Creates a description.
    public init(name: String, tasks: [String], actionSemantics: ActionSemantics, controlRate: Double,
                frameFormat: FrameFormat) {
        self.name = name
        self.tasks = tasks
        self.actionSemantics = actionSemantics
        self.controlRate = controlRate
        self.frameFormat = frameFormat
    }
}

/// What one chunk did in an environment.
public struct EnvironmentStep: Sendable, Equatable {
    /// The observation after the last executed action.
    public var observation: Observation
    /// One camera frame per executed action.
    public var frames: [RGBImage]
    /// One flag per executed action; at most one true, the last (rl-math.md §7's done position).
    public var done: [Bool]
    /// Whether the task's success predicate holds.
    public var success: Bool

    /// Creates a step result.
    public init(observation: Observation, frames: [RGBImage], done: [Bool], success: Bool) {
        self.observation = observation
        self.frames = frames
        self.done = done
        self.success = success
    }

    /// Whether the episode ended in this chunk.
    public var isDone: Bool { done.contains(true) }
}
