import FlowPolicy
import ProphRL
import ProphRLCore
import ProphRLTesting
import Testing

/// A one-chunk toy: the episode succeeds when the chunk's mean x-displacement (normalised units) exceeds a
/// threshold. The observation is fixed per seed, so the policy must move its head, not read the image.
actor ThresholdEnvironment: Environment {
    nonisolated let description = EnvironmentDescription(
        name: "threshold", tasks: ["push"], actionSemantics: .absoluteDifference, controlRate: 10,
        frameFormat: FrameFormat(width: 32, height: 32, framesPerSecond: 10))
    let threshold: Float
    var current: Observation?

    init(threshold: Float) { self.threshold = threshold }

    func reset(task: String, seed: UInt64) async throws -> Observation {
        let o = try observation(seed % 4)
        current = o
        return o
    }

    func step(_ chunk: ActionChunk) async throws -> EnvironmentStep {
        guard let current else { throw ValidationError.invalid(argument: "environment", reason: "not reset") }
        let xs = (0..<chunk.steps).map { chunk.values[$0 * 7] }
        let success = xs.reduce(0, +) / Float(xs.count) > threshold
        return EnvironmentStep(observation: current, frames: [current.image], done: [true],
                               success: success)
    }

    func close() async throws { current = nil }
}

@Suite("FlowPolicy in the RL loop")
struct FlowPolicyRLTests {
    func options(_ objective: RLOptions.Objective) -> RLOptions {
        var o = RLOptions()
        o.seed = 3
        o.task = "push"
        o.groupSize = 8
        o.groupsPerIteration = 2
        o.minibatchRollouts = 16
        o.eta = 0.7
        o.objective = objective
        o.objectiveConfiguration.klCoefficient = 0
        return o
    }

    @Test("One iteration of every ablation runs on the real policy; the first minibatch is on-policy", arguments: RLOptions.Objective.allCases)
    func oneIteration(objective: RLOptions.Objective) async throws {
        let policy = try FlowPolicy(configuration: tinyConfiguration())
        let trainer = try GRPOTrainer(options: options(objective), policy: policy, reference: policy,
                                      environment: ThresholdEnvironment(threshold: 0.3), reward: .environmentSuccess)
        let report = try await trainer.iterate(0)
        #expect(report.rewards.count == 16)
        if report.updates > 0 { #expect(report.perStepGradientNorms.count == 3) }
    }

    @Test("FA-GRPO + FlowScale with the oracle reward raises the success rate of the real policy", arguments: [5, 6, 7] as [UInt64])
    func rewardIncreases(seed: UInt64) async throws {
        var c = tinyConfiguration(seed: seed)
        c.learningRate = 1e-2
        let policy = try FlowPolicy(configuration: c)
        let environment = ThresholdEnvironment(threshold: 0.5)
        let trainer = try GRPOTrainer(options: options(.flowScale), policy: policy, reference: nil,
                                      environment: environment, reward: .environmentSuccess)
        var rates: [Double] = []
        for i in 0..<20 { rates.append(try await trainer.iterate(i).successRate) }
        let first = rates.prefix(4).reduce(0, +) / 4, last = rates.suffix(4).reduce(0, +) / 4
        #expect(last > first + 0.2, "success \(rates)")
    }
}
