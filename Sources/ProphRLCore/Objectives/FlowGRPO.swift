import RealModule

/// The Flow-GRPO baseline on a VLA (rl-math.md §9): every denoising step is its own pseudo-action with its
/// own ratio and clip. Kept for the paper's ablation; it does not reduce to FA-GRPO.
///
/// ```
/// r_{s,c,k} = exp( mean_d (ℓ^θ − ℓ^old) )        L = −(1/N_k) Σ M·f_clip(r, Â),  N_k = K·Σ M
/// ```
///
/// ```swift
/// let out = try FlowGRPO().evaluate(newLogProbs: new, batch: batch, kl: nil)
/// ```
public struct FlowGRPO: PolicyObjective {
    /// How per-element log-ratios of one step are reduced to its ratio.
    public enum ElementReduction: String, Sendable, Equatable, CaseIterable {
        /// Mean over d (Flow-GRPO's default).
        case mean
        /// Sum over d.
        case sum
        /// No reduction: one ratio per `(s, c, d, k)` (FlowScale placement B uses this).
        case perElement
    }

    /// Clip ε, KL β and the normaliser.
    public var configuration: ObjectiveConfiguration
    /// The element reduction (default mean).
    public var reduction: ElementReduction

    /// Creates the baseline.
    public init(configuration: ObjectiveConfiguration = ObjectiveConfiguration(), reduction: ElementReduction = .mean) {
        self.configuration = configuration
        self.reduction = reduction
    }

    /// The baseline loss with unit step weights.
    public func evaluate(newLogProbs: TrajectoryTensor<Double>, batch: PolicyGradientBatch,
                         kl: KLReference?) throws -> ObjectiveResult {
        try evaluate(newLogProbs: newLogProbs, batch: batch, kl: kl, stepWeights: nil)
    }

    /// The per-step surrogate, each term multiplied by a constant step weight `w_{s,k}` (placement B).
    func evaluate(newLogProbs: TrajectoryTensor<Double>, batch: PolicyGradientBatch, kl: KLReference?,
                  stepWeights: StepValues?) throws -> ObjectiveResult {
        try configuration.validate()
        try batch.validateCompanion(newLogProbs, "newLogProbs")
        if let stepWeights { try stepWeights.validate(against: batch.shape, "stepWeights") }
        let shape = batch.shape
        let old = batch.oldLogProbs.values, new = newLogProbs.values
        let D = shape.actionDim, K = shape.denoisingSteps
        let groupsPerStep = reduction == .perElement ? D : 1
        let groupWidth = reduction == .perElement ? 1 : D
        let elementFactor = reduction == .mean ? 1 / Double(D) : 1
        let scales = configuration.rolloutScales(mask: batch.mask, termsPerPosition: K * groupsPerStep)
        let clampLimit = GaussianKL.logRatioClamp

        var gradient = [Double](repeating: 0, count: shape.elementCount)
        var policyLoss = 0.0
        var stats = DiagnosticsAccumulator()
        forEachValid(shape, batch.mask) { b, s, c in
            let advantage = batch.advantages[b]
            for k in 0..<K {
                let weight = stepWeights?[b: b, s: s, k: k] ?? 1
                let base = shape.index(b: b, s: s, k: k, c: c, d: 0)
                for group in 0..<groupsPerStep {
                    let elements = (base + group * groupWidth)..<(base + (group + 1) * groupWidth)
                    var logRatio = 0.0
                    for i in elements { logRatio += new[i] - old[i] }
                    logRatio *= elementFactor
                    let clampBinds = abs(logRatio) > clampLimit
                    let clamped = min(max(logRatio, -clampLimit), clampLimit)
                    let ratio = Double.exp(clamped)
                    let surrogate = ClippedSurrogate.evaluate(ratio: ratio, advantage: advantage,
                                                              epsilon: configuration.clipEpsilon)
                    policyLoss -= scales[b] * weight * surrogate.value
                    stats.add(ratio: ratio, logRatio: clamped, clipped: surrogate.clipped)
                    if clampBinds || surrogate.derivative == 0 { continue }
                    let g = -scales[b] * weight * surrogate.derivative * ratio * elementFactor
                    for i in elements { gradient[i] = g }
                }
            }
        }

        return try KLTerm.finish(policyLoss: policyLoss, gradientLogProbs: gradient, stats: stats, kl: kl,
                                 newLogProbs: newLogProbs, batch: batch, configuration: configuration)
    }
}
