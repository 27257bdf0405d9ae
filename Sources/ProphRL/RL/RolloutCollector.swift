import ProphRLCore

/// Runs groups of rollouts: G episodes from the same reset seed, each with its own policy noise.
public struct RolloutCollector<Policy: ActionPolicy, Env: Environment>: Sendable {
    /// The acting policy.
    public let policy: Policy
    /// Where it acts (the simulator, the robot, or the world model wrapped as an environment).
    public let environment: Env
    /// How rollouts are scored.
    public let reward: RewardSource

    /// Creates a collector.
    public init(policy: Policy, environment: Env, reward: RewardSource) {
        self.policy = policy
        self.environment = environment
        self.reward = reward
    }

    /// One rollout of at most `outerSteps` chunks with Flow-SDE noise level `eta`.
    /// - Throws: ``ValidationError`` if the policy returns no trace, or what the ports throw.
    public func rollout(task: String, resetSeed: UInt64, noiseSeed: UInt64, outerSteps: Int, eta: Double) async throws -> Rollout {
        var observation = try await environment.reset(task: task, seed: resetSeed)
        var records: [PolicyStepRecord] = [], done: [[Bool]] = []
        var frames = await environment.framesBeforeReset() + [observation.image]
        var success = false
        var noise = SeededGenerator(seed: noiseSeed)
        for _ in 0..<outerSteps {
            let sample = try await policy.act(on: observation, sampling: .stochastic(eta: eta, seed: noise.next()))
            guard let trace = sample.trace else {
                throw ValidationError.invalid(argument: "policy", reason: "RL needs the denoising trace; the policy returned none")
            }
            records.append(PolicyStepRecord(observation: observation, trace: trace))
            let step = try await environment.step(sample.chunk)
            done.append(step.done)
            frames.append(contentsOf: step.frames)
            observation = step.observation
            success = step.success
            if step.isDone { break }
        }
        let value: Double
        switch reward {
        case .environmentSuccess:
            value = success ? 1 : 0
        case .model(let judge, let fps):
            value = try await judge.score(rollout: VideoClip(frames: frames, framesPerSecond: fps), instruction: observation.instruction,
                                          states: records.map(\.observation.state)).reward
        }
        return Rollout(records: records, done: done, frames: frames, success: success, reward: value)
    }

    /// G rollouts sharing `resetSeed`; member `g`'s noise seed is drawn from `noise`.
    public func group(task: String, resetSeed: UInt64, size: Int, noise: inout SeededGenerator,
                      outerSteps: Int, eta: Double) async throws -> [Rollout] {
        var rollouts: [Rollout] = []
        for _ in 0..<size {
            rollouts.append(try await rollout(task: task, resetSeed: resetSeed, noiseSeed: noise.next(),
                                              outerSteps: outerSteps, eta: eta))
        }
        return rollouts
    }
}
