import ProphRLCore

/// The RL update of the paper: collect groups of rollouts, normalise their rewards within groups, and update
/// the policy's flow head with FA-GRPO + FlowScale (or an ablation) over minibatches, with a KL term to a
/// frozen reference policy and, optionally, an imitation anchor on demonstrations.
///
/// ```swift
/// var trainer = try GRPOTrainer(options: options, policy: policy, reference: sftCopy,
///                               environment: prophetEnvironment, reward: .model(judge, framesPerSecond: 10))
/// for i in 0..<100 { print(try await trainer.iterate(i).meanReward) }
/// ```
public struct GRPOTrainer<Policy: TrainablePolicy, Env: Environment>: Sendable {
    /// The run's options.
    public let options: RLOptions
    /// The policy being trained.
    public let policy: Policy
    /// The frozen reference for the KL term (nil or β = 0: no KL).
    public let reference: (any TrainablePolicy)?
    /// Rollout collection.
    public let collector: RolloutCollector<Policy, Env>
    /// Demonstration examples for the imitation anchor (used when `options.anchorWeight > 0`).
    public let anchorExamples: [DemonstrationExample]

    /// Creates a trainer.
    /// - Throws: ``ValidationError`` for invalid options, or an anchor weight without anchor examples.
    public init(options: RLOptions, policy: Policy, reference: (any TrainablePolicy)?, environment: Env,
                reward: RewardSource, anchorExamples: [DemonstrationExample] = []) throws {
        try options.validate()
        if options.anchorWeight > 0 && anchorExamples.isEmpty {
            throw ValidationError.invalid(argument: "anchorWeight", reason: "an imitation anchor needs demonstration examples")
        }
        self.options = options
        self.policy = policy
        self.reference = reference
        self.anchorExamples = anchorExamples
        collector = RolloutCollector(policy: policy, environment: environment, reward: reward)
    }

    /// The anchor of minibatch `minibatch` of epoch `epoch`: its own seeded draw, so the rollouts, their order and
    /// an anchor-free run's updates do not depend on it.
    func anchor(iteration: Int, epoch: Int, minibatch: Int) throws -> ImitationAnchor? {
        guard options.anchorWeight > 0 else { return nil }
        var rng = SeededGenerator(seed: options.seed).fork(0xa7c0_0000 &+ UInt64(iteration))
            .fork(UInt64(epoch)).fork(UInt64(minibatch))
        let picks = (0..<min(options.anchorBatch, anchorExamples.count)).map { _ in
            anchorExamples[Int(rng.next() % UInt64(anchorExamples.count))]
        }
        return try ImitationAnchor(examples: picks, weight: options.anchorWeight)
    }

    /// Runs iteration `iteration`: collection, advantages, and `epochs` passes of minibatch updates.
    /// Every seed derives from `options.seed` and `iteration`, so an iteration can be replayed alone.
    /// - Throws: ``RLError/offPolicyFirstUpdate(maxAbsLogRatio:)`` if the recomputed log-probs of the first
    ///   minibatch do not reproduce the stored ones; ``ValidationError`` or port errors otherwise.
    public func iterate(_ iteration: Int) async throws -> IterationReport {
        var rng = SeededGenerator(seed: options.seed).fork(UInt64(iteration))
        var rollouts: [Rollout] = []
        for _ in 0..<options.groupsPerIteration {
            let resetSeed = rng.next()
            rollouts += try await collector.group(task: options.task, resetSeed: resetSeed, size: options.groupSize,
                                                  noise: &rng, outerSteps: options.outerSteps, eta: options.eta)
        }
        let rewards = rollouts.map(\.reward)
        let credited = try options.rewardControl.apply(to: rewards, groupSize: options.groupSize, seed: options.seed,
                                                       iteration: iteration)
        let advantages = try GroupAdvantages.compute(rewards: credited, groupSize: options.groupSize,
                                                     configuration: options.advantages)
        var report = IterationReport(iteration: iteration, rewards: rewards, successes: rollouts.map(\.success),
                                     allEqualGroupFraction: advantages.allEqualFraction)
        let included = rollouts.indices.filter { advantages.included[$0] }
        guard !included.isEmpty else { return report }

        let objective = options.policyObjective
        for epoch in 0..<options.epochs {
            var order = included
            order.shuffle(using: &rng)
            for (m, start) in stride(from: 0, to: order.count, by: options.minibatchRollouts).enumerated() {
                let members = Array(order[start..<min(start + options.minibatchRollouts, order.count)])
                let layout = try RolloutBatch(rollouts: members.map { rollouts[$0] },
                                              advantages: members.map { advantages.advantages[$0] },
                                              outerSteps: options.outerSteps, chunk: policy.chunkLayout.steps)
                let newMeans = try layout.meansTensor(try await policy.transitionMeans(for: layout.records))
                var referenceMeans: TrajectoryTensor<Double>? = nil
                if let reference, options.objectiveConfiguration.klCoefficient > 0 {
                    referenceMeans = try layout.meansTensor(try await reference.transitionMeans(for: layout.records))
                }
                let result = try objective.evaluate(newMeans: newMeans, samples: layout.samples, batch: layout.batch,
                                                    referenceMeans: referenceMeans)
                if epoch == 0 && m == 0 && result.diagnostics.maxAbsLogRatio > options.onPolicyTolerance {
                    throw RLError.offPolicyFirstUpdate(maxAbsLogRatio: result.diagnostics.maxAbsLogRatio)
                }
                guard let gradient = result.gradientMeans else { continue }
                let update = try await policy.applyMeansGradient(layout.perRecord(gradient), for: layout.records,
                                                                 anchor: try anchor(iteration: iteration, epoch: epoch, minibatch: m))
                report.record(result, update)
            }
        }
        return report
    }
}

/// Errors of the RL loop.
public enum RLError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The first minibatch's ratios are not 1: recomputed log-probs differ from the stored ones (a bug).
    case offPolicyFirstUpdate(maxAbsLogRatio: Double)

    /// A one-line message.
    public var description: String {
        switch self {
        case .offPolicyFirstUpdate(let value):
            return "ratio is not 1 on the first minibatch (max |ln r| = \(value)): the policy does not reproduce its stored log-probs"
        }
    }
}
