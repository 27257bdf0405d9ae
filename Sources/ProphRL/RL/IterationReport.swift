import ProphRLCore

/// What one RL iteration did: rewards, group statistics and the update's diagnostics, averaged over minibatches.
public struct IterationReport: Sendable, Equatable {
    /// The iteration index.
    public var iteration: Int
    /// One reward per rollout.
    public var rewards: [Double]
    /// One success flag per rollout.
    public var successes: [Bool]
    /// Fraction of groups whose rewards were all equal (no policy gradient).
    public var allEqualGroupFraction: Double
    /// Minibatch updates taken.
    public var updates = 0
    /// Mean loss over updates.
    public var loss = 0.0
    /// Mean KL term (before β).
    public var kl = 0.0
    /// Mean clip fraction.
    public var clipFraction = 0.0
    /// Mean ratio.
    public var meanRatio = 0.0
    /// Mean approx-KL between old and new policy.
    public var approxKL = 0.0
    /// Mean gradient norm.
    public var gradientNorm = 0.0
    /// Mean per-denoising-step gradient norms.
    public var perStepGradientNorms: [Double] = []
    /// Mean imitation-anchor loss over updates (unweighted); nil without an anchor.
    public var anchorLoss: Double?

    /// An empty report for an iteration's collection.
    public init(iteration: Int, rewards: [Double], successes: [Bool], allEqualGroupFraction: Double) {
        self.iteration = iteration
        self.rewards = rewards
        self.successes = successes
        self.allEqualGroupFraction = allEqualGroupFraction
    }

    /// Mean reward.
    public var meanReward: Double { rewards.reduce(0, +) / Double(max(rewards.count, 1)) }
    /// Success rate.
    public var successRate: Double { Double(successes.filter { $0 }.count) / Double(max(successes.count, 1)) }

    /// Folds one minibatch update into the running means.
    mutating func record(_ result: ObjectiveResult, _ update: PolicyUpdateReport) {
        let n = Double(updates), w = 1 / (n + 1)
        func mix(_ old: Double, _ new: Double) -> Double { old + (new - old) * w }
        loss = mix(loss, result.loss)
        kl = mix(kl, result.klLoss)
        clipFraction = mix(clipFraction, result.diagnostics.clipFraction)
        meanRatio = mix(meanRatio, result.diagnostics.meanRatio)
        approxKL = mix(approxKL, result.diagnostics.approxKL)
        gradientNorm = mix(gradientNorm, update.gradientNorm)
        if let value = update.anchorLoss { anchorLoss = mix(anchorLoss ?? value, value) }
        if perStepGradientNorms.count != update.perStepGradientNorms.count {
            perStepGradientNorms = update.perStepGradientNorms
        } else {
            perStepGradientNorms = zip(perStepGradientNorms, update.perStepGradientNorms).map { mix($0, $1) }
        }
        updates += 1
    }
}
