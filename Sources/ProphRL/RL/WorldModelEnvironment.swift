import ProphRLCore

/// The world model as an ``Environment``: the paper's training paradigm, RL inside Prophet.
///
/// A reset picks a recorded start (frame, instruction, robot state) by seed. A start may lie part-way into a
/// recorded episode: its earlier real frames then open the history (Prophet's memory and reference frame see the
/// real past) and ``framesBeforeReset()`` hands them to a judge that scores the whole episode. Each step hands the current
/// frame history, the integrated robot state (for models that draw action frames) and the policy's chunk to the
/// world model. The clip's last frame becomes the next
/// observation, and the robot state advances by integrating the policy's own actions (the real-robot
/// protocol). Episodes end after `maxChunks` chunks, or earlier when the optional `successJudge` declares
/// success on the frames so far. Success is judged at chunk ends, so the terminating chunk counts whole.
///
/// ```swift
/// let env = WorldModelEnvironment(model: prophet, starts: starts, semantics: .absoluteDifference, maxChunks: 3)
/// let trainer = try GRPOTrainer(options: o, policy: p, reference: sft, environment: env,
///                               reward: .model(judge, framesPerSecond: 10))
/// ```
public actor WorldModelEnvironment<Model: WorldModel>: Environment {
    /// A recorded initial condition.
    public struct Start: Sendable, Equatable {
        /// The task name.
        public var task: String
        /// The first observation: frame, instruction, state.
        public var observation: Observation
        /// The simulator seed the recorded episode was reset with, if it came from the simulator (lets
        /// ``PhysicsShadowEnvironment`` replay imagined actions in physics from the same layout).
        public var simulatorSeed: UInt64?
        /// For a start part-way into a recorded episode, what came before it; empty at an episode's beginning.
        public var prefix: Prefix

        /// Creates a start.
        public init(task: String, observation: Observation, simulatorSeed: UInt64? = nil, prefix: Prefix = Prefix()) {
            self.task = task
            self.observation = observation
            self.simulatorSeed = simulatorSeed
            self.prefix = prefix
        }
    }

    /// The recorded part of an episode before a start: frames (the start's frame excluded), the robot state before
    /// each chunk, and the chunks in robot units (``PhysicsShadowEnvironment`` replays them before the policy's).
    public struct Prefix: Sendable, Equatable {
        /// The frames before the start's frame.
        public var frames: [RGBImage]
        /// The state before each recorded chunk.
        public var states: [RobotState]
        /// The recorded chunks, robot units.
        public var chunks: [ActionChunk]

        /// Creates a prefix (empty by default).
        public init(frames: [RGBImage] = [], states: [RobotState] = [], chunks: [ActionChunk] = []) {
            self.frames = frames
            self.states = states
            self.chunks = chunks
        }
    }

    /// The static description.
    public nonisolated let description: EnvironmentDescription
    private let model: Model
    private let starts: [Start]
    private let integrator: ActionIntegrator
    private let maxChunks: Int
    private let successJudge: (any RewardModel)?

    private var history: [RGBImage] = []
    /// The state before each chunk of the running episode (the start's prefix included), for a judge that reads states.
    private var decisionStates: [RobotState] = []
    private var observation: Observation?
    /// The start the running (or last) episode began from; nil before the first reset.
    public private(set) var currentStart: Start?
    private var chunksDone = 0
    private var modelSeeds = SeededGenerator(seed: 0)

    /// Creates the environment over `starts` (at least one per task it should offer).
    /// - Throws: ``ValidationError`` if there are no starts or `maxChunks < 1`.
    public init(model: Model, starts: [Start], semantics: ActionSemantics, maxChunks: Int,
                successJudge: (any RewardModel)? = nil) throws {
        guard !starts.isEmpty else { throw ValidationError.empty(argument: "starts") }
        try Validate.atLeastOne(maxChunks, "maxChunks")
        self.model = model
        self.starts = starts
        integrator = ActionIntegrator(semantics: semantics)
        self.maxChunks = maxChunks
        self.successJudge = successJudge
        var tasks: [String] = []
        for start in starts where !tasks.contains(start.task) { tasks.append(start.task) }
        description = EnvironmentDescription(name: "world-model", tasks: tasks, actionSemantics: semantics,
                                             controlRate: model.frameFormat.framesPerSecond, frameFormat: model.frameFormat)
    }

    /// Picks the start of `task` selected by `seed`; the world model's sampling seeds derive from it too.
    public func reset(task: String, seed: UInt64) async throws -> Observation {
        let candidates = starts.filter { $0.task == task }
        guard !candidates.isEmpty else {
            throw ValidationError.invalid(argument: "task", reason: "no recorded start for '\(task)'; known: \(description.tasks)")
        }
        var rng = SeededGenerator(seed: seed)
        let start = candidates[Int(rng.next() % UInt64(candidates.count))]
        modelSeeds = rng.fork(1)
        currentStart = start
        history = start.prefix.frames + [start.observation.image]
        decisionStates = start.prefix.states
        observation = start.observation
        chunksDone = 0
        return start.observation
    }

    /// Generates the clip of `chunk` and advances the integrated state.
    public func step(_ chunk: ActionChunk) async throws -> EnvironmentStep {
        guard let current = observation, chunksDone < maxChunks else {
            throw ValidationError.invalid(argument: "step", reason: "no episode running; call reset")
        }
        let clip = try await model.predict(context: WorldModelContext(frames: history, state: current.state), actions: chunk, seed: modelSeeds.next())
        history += clip.frames
        decisionStates.append(current.state)
        let states = try integrator.integrate(chunk, from: current.state)
        chunksDone += 1
        var success = false
        if let successJudge {
            let so = try VideoClip(frames: history, framesPerSecond: model.frameFormat.framesPerSecond)
            success = try await successJudge.score(rollout: so, instruction: current.instruction, states: decisionStates).success
        }
        let next = Observation(image: clip.last, instruction: current.instruction, state: states.last ?? current.state,
                               firstImage: current.firstImage)
        let finished = success || chunksDone >= maxChunks
        observation = finished ? nil : next
        let done = clip.frames.indices.map { finished && $0 == clip.frames.count - 1 }
        return EnvironmentStep(observation: next, frames: clip.frames, done: done, success: success)
    }

    /// The current start's recorded frames before its first observation.
    public func framesBeforeReset() async -> [RGBImage] { currentStart?.prefix.frames ?? [] }

    /// Ends the episode.
    public func close() async throws { observation = nil }
}
