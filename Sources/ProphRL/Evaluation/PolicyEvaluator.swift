import ProphRLCore

/// Runs a policy closed-loop in an environment, deterministic (ODE) sampling, and counts successes.
///
/// ```swift
/// let evaluator = PolicyEvaluator(policy: policy, environment: simulator, maxChunks: 40)
/// let result = try await evaluator.run(task: "pick-bottle", seeds: Array(1_000_000..<1_000_100))
/// print(result.successRate)
/// ```
public struct PolicyEvaluator<Policy: ActionPolicy, Env: Environment>: Sendable {
    /// The evaluated policy.
    public let policy: Policy
    /// Where it acts.
    public let environment: Env
    /// The most chunks per episode (the environment may end it sooner).
    public let maxChunks: Int

    /// Creates an evaluator.
    public init(policy: Policy, environment: Env, maxChunks: Int) {
        self.policy = policy
        self.environment = environment
        self.maxChunks = maxChunks
    }

    /// One episode's outcome.
    public struct Episode: Sendable, Equatable {
        /// The reset seed.
        public var seed: UInt64
        /// Whether the task succeeded.
        public var success: Bool
        /// Actions executed.
        public var actions: Int
        /// The frames (initial frame first) when recording was asked for, otherwise empty.
        public var frames: [RGBImage]
        /// The state before each chunk when recording was asked for, otherwise empty.
        public var states: [RobotState] = []
        /// The chunks as the policy gave them (truncated to the actions executed) when recording, otherwise empty.
        public var chunks: [ActionChunk] = []
    }

    /// The outcome of a set of episodes.
    public struct Result: Sendable, Equatable {
        /// One entry per seed, in order.
        public var episodes: [Episode]
        /// Fraction of successful episodes.
        public var successRate: Double {
            Double(episodes.filter(\.success).count) / Double(max(episodes.count, 1))
        }
    }

    /// One episode from `seed`; frames, states and chunks are kept when `record` is true.
    ///
    /// `eta` nil samples deterministically (ODE); a positive `eta` samples Flow-SDE noise seeded from `seed`, e.g.
    /// for the varied successes and failures a world model or judge is trained on.
    /// - Throws: ``ValidationError`` if `maxChunks < 1` or `eta` is not positive, or what the ports throw.
    public func episode(task: String, seed: UInt64, record: Bool = false, eta: Double? = nil) async throws -> Episode {
        try Validate.atLeastOne(maxChunks, "maxChunks")
        if let eta { try Validate.positive(eta, "eta") }
        var observation = try await environment.reset(task: task, seed: seed)
        var frames = record ? [observation.image] : []
        var states: [RobotState] = [], chunks: [ActionChunk] = []
        var noise = SeededGenerator(seed: seed).fork(2)
        var success = false, actions = 0
        for _ in 0..<maxChunks {
            let sampling: PolicySampling = eta.map { .stochastic(eta: $0, seed: noise.next()) } ?? .deterministic
            let sample = try await policy.act(on: observation, sampling: sampling)
            let step = try await environment.step(sample.chunk)
            actions += step.done.count
            if record {
                frames += step.frames
                states.append(observation.state)
                chunks.append(try Self.prefix(sample.chunk, steps: step.frames.count))
            }
            observation = step.observation
            success = step.success
            if step.isDone { break }
        }
        return Episode(seed: seed, success: success, actions: actions, frames: frames, states: states, chunks: chunks)
    }

    /// The first `steps` actions of `chunk` (an episode may end mid-chunk).
    static func prefix(_ chunk: ActionChunk, steps: Int) throws -> ActionChunk {
        guard steps >= 1, steps < chunk.steps else { return chunk }
        return try ActionChunk(steps: steps, maxEffectors: chunk.maxEffectors,
                               values: Array(chunk.values.prefix(steps * chunk.flatDimension)), validity: chunk.validity)
    }

    /// Episodes for every seed; the first `recordFirst` keep their frames. `progress` is called after each.
    public func run(task: String, seeds: [UInt64], recordFirst: Int = 0,
                    progress: @Sendable (Int) -> Void = { _ in }) async throws -> Result {
        var episodes: [Episode] = []
        for (i, seed) in seeds.enumerated() {
            episodes.append(try await episode(task: task, seed: seed, record: i < recordFirst))
            progress(i + 1)
        }
        return Result(episodes: episodes)
    }

    /// Mean and sample standard deviation of per-run success rates (std 0 for one run).
    public static func meanAndStd(_ rates: [Double]) -> (mean: Double, std: Double) {
        guard !rates.isEmpty else { return (0, 0) }
        let mean = rates.reduce(0, +) / Double(rates.count)
        guard rates.count > 1 else { return (mean, 0) }
        let variance = rates.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(rates.count - 1)
        return (mean, variance.squareRoot())
    }
}
