import ProphRLCore

/// Everything one FA-GRPO run is configured by, seed first (cleanrl style). Defaults follow rl-math.md §11
/// except the batch sizes, which are demo scale.
public struct RLOptions: Sendable, Equatable {
    /// Which objective the update uses (ablation switch).
    public enum Objective: String, Sendable, Equatable, CaseIterable {
        /// FA-GRPO with FlowScale weights at ``RLOptions/flowScale``'s placement (the paper's method).
        case flowScale
        /// FA-GRPO without FlowScale.
        case faGRPO
        /// The Flow-GRPO baseline (per-step ratios).
        case flowGRPO
    }

    /// Seed of every random choice of the run (environment resets, policy noise, minibatch order).
    public var seed: UInt64 = 0
    /// The environment task trained on.
    public var task: String = ""
    /// Rollouts per group G (same reset seed and instruction).
    public var groupSize = 8
    /// Groups collected per iteration (B = groups · G).
    public var groupsPerIteration = 4
    /// Maximum chunks per rollout S.
    public var outerSteps = 1
    /// Flow-SDE noise level η of rollouts.
    public var eta = 0.5
    /// The objective.
    public var objective: Objective = .flowScale
    /// Clip ε, KL β, normaliser.
    public var objectiveConfiguration = ObjectiveConfiguration()
    /// FlowScale weights and placement.
    public var flowScale = FlowScale()
    /// Advantage normalisation.
    public var advantages = GroupAdvantages.Configuration()
    /// The control arm: `.shuffledInGroups` credits each rollout with a random member of its group's rewards.
    public var rewardControl: RewardControl = .none
    /// Rollouts per minibatch.
    public var minibatchRollouts = 16
    /// Passes over each iteration's rollouts.
    public var epochs = 1
    /// Weight λ of the imitation anchor: each minibatch update adds λ × the flow-matching loss of `anchorBatch`
    /// demonstration examples (PPO-ptx style); 0 turns it off. Needs the trainer's `anchorExamples`.
    public var anchorWeight = 0.0
    /// Demonstration examples per anchored update.
    public var anchorBatch = 32
    /// Largest |ln r| tolerated on the first minibatch (recomputed Float log-probs may differ in the last bits).
    public var onPolicyTolerance = 1e-3

    /// The defaults.
    public init() {}

    /// Throws ``ValidationError`` naming the first invalid option.
    public func validate() throws {
        try Validate.atLeastOne(groupSize - 1, "groupSize - 1 (groupSize must be >= 2)")
        try Validate.atLeastOne(groupsPerIteration, "groupsPerIteration")
        try Validate.atLeastOne(outerSteps, "outerSteps")
        try Validate.atLeastOne(minibatchRollouts, "minibatchRollouts")
        try Validate.atLeastOne(epochs, "epochs")
        try Validate.positive(eta, "eta")
        try Validate.positive(onPolicyTolerance, "onPolicyTolerance")
        try Validate.finite(anchorWeight, "anchorWeight")
        if anchorWeight < 0 { throw ValidationError.outOfRange(argument: "anchorWeight", expected: ">= 0", actual: anchorWeight) }
        try Validate.atLeastOne(anchorBatch, "anchorBatch")
        try objectiveConfiguration.validate()
        try flowScale.validate()
        if task.isEmpty { throw ValidationError.empty(argument: "task") }
    }

    /// The objective these options select.
    public var policyObjective: any PolicyObjective {
        switch objective {
        case .flowScale: FlowScaleObjective(configuration: objectiveConfiguration, flowScale: flowScale)
        case .faGRPO: FAGRPO(configuration: objectiveConfiguration)
        case .flowGRPO: FlowGRPO(configuration: objectiveConfiguration)
        }
    }
}
