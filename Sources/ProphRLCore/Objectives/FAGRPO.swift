import RealModule

/// FA-GRPO: one PPO-clipped likelihood ratio per environment-action scalar `(s, c, d)`, the product of its
/// whole denoising chain's transition ratios (rl-math.md §8).
///
/// ```
/// r_{s,c,d} = exp( Σ_k w_k (ℓ^θ_k − ℓ^old_k) )           (w ≡ 1 without FlowScale)
/// L         = −(1/N) Σ M·f_clip(r, Â) + β·(1/N) Σ M·KL
/// ```
///
/// ```swift
/// let out = try FAGRPO().evaluate(newLogProbs: new, batch: batch, kl: .k3(referenceLogProbs: ref))
/// ```
public struct FAGRPO: PolicyObjective {
    /// Clip ε, KL β and the normaliser.
    public var configuration: ObjectiveConfiguration

    /// Creates the objective with the rl-math.md defaults unless told otherwise.
    public init(configuration: ObjectiveConfiguration = ObjectiveConfiguration()) {
        self.configuration = configuration
    }

    /// Plain FA-GRPO.
    public func evaluate(newLogProbs: TrajectoryTensor<Double>, batch: PolicyGradientBatch,
                         kl: KLReference?) throws -> ObjectiveResult {
        try evaluate(newLogProbs: newLogProbs, batch: batch, kl: kl, stepWeights: nil, weightsInForward: false)
    }

    /// FA-GRPO with constant per-step weights (FlowScale placements A1 and A2 of rl-math.md §10.2).
    ///
    /// With `weightsInForward` (A1) the chain log-ratio is `Σ_k w_k Δ_k`; without it (A2) ratios and clipping
    /// are FA-GRPO's and only the per-step gradients are scaled by `w_k`. Weights are constants of the update.
    func evaluate(newLogProbs: TrajectoryTensor<Double>, batch: PolicyGradientBatch, kl: KLReference?,
                  stepWeights: StepValues?, weightsInForward: Bool) throws -> ObjectiveResult {
        try configuration.validate()
        try batch.validateCompanion(newLogProbs, "newLogProbs")
        if let stepWeights { try stepWeights.validate(against: batch.shape, "stepWeights") }
        let shape = batch.shape
        let old = batch.oldLogProbs.values, new = newLogProbs.values
        let epsilon = configuration.clipEpsilon
        let scales = configuration.rolloutScales(mask: batch.mask, termsPerPosition: shape.actionDim)
        let clampLimit = GaussianKL.logRatioClamp

        var gradient = [Double](repeating: 0, count: shape.elementCount)
        var policyLoss = 0.0
        var stats = DiagnosticsAccumulator()
        var weights = [Double](repeating: 1, count: shape.denoisingSteps)
        forEachValid(shape, batch.mask) { b, s, c in
            if let stepWeights { for k in weights.indices { weights[k] = stepWeights[b: b, s: s, k: k] } }
            let advantage = batch.advantages[b]
            for d in 0..<shape.actionDim {
                var logRatio = 0.0
                for k in 0..<shape.denoisingSteps {
                    let i = shape.index(b: b, s: s, k: k, c: c, d: d)
                    logRatio += (weightsInForward ? weights[k] : 1) * (new[i] - old[i])
                }
                let clampBinds = abs(logRatio) > clampLimit
                let clamped = min(max(logRatio, -clampLimit), clampLimit)
                let ratio = Double.exp(clamped)
                let surrogate = ClippedSurrogate.evaluate(ratio: ratio, advantage: advantage, epsilon: epsilon)
                policyLoss -= scales[b] * surrogate.value
                stats.add(ratio: ratio, logRatio: clamped, clipped: surrogate.clipped)
                if clampBinds || surrogate.derivative == 0 { continue }
                // ∂(−scale·f)/∂ℓ^θ_k = −scale · ∂f/∂r · r · w_k   (w_k = 1 for plain FA-GRPO)
                let g = -scales[b] * surrogate.derivative * ratio
                for k in 0..<shape.denoisingSteps {
                    gradient[shape.index(b: b, s: s, k: k, c: c, d: d)] = g * weights[k]
                }
            }
        }

        return try KLTerm.finish(policyLoss: policyLoss, gradientLogProbs: gradient, stats: stats, kl: kl,
                                 newLogProbs: newLogProbs, batch: batch, configuration: configuration)
    }

    /// Throws unless every new log-prob equals its rollout-time value exactly, i.e. every ratio is 1 — the
    /// check for the first minibatch of an RL step (rl-math.md §8; a failure means a bug, see ReinFlow#5).
    public static func checkOnPolicy(newLogProbs: TrajectoryTensor<Double>, batch: PolicyGradientBatch) throws {
        try batch.validateCompanion(newLogProbs, "newLogProbs")
        for i in newLogProbs.values.indices where newLogProbs.values[i] != batch.oldLogProbs.values[i] {
            throw ValidationError.invalid(
                argument: "newLogProbs",
                reason: "ratio is not 1 before the first update: element \(i) has log-ratio \(newLogProbs.values[i] - batch.oldLogProbs.values[i])")
        }
    }
}
