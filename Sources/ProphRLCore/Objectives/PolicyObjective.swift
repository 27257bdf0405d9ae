/// A clipped policy-gradient objective over the `[B, S, K, CH, D]` layout: FA-GRPO, FlowScale or the
/// Flow-GRPO baseline behind one interface, so ablations swap one value.
///
/// ```swift
/// let objective: any PolicyObjective = FlowScaleObjective()          // or FAGRPO(), FlowGRPO()
/// let out = try objective.evaluate(newLogProbs: logProbs, batch: batch, kl: nil)
/// out.loss; out.gradientLogProbs; out.diagnostics.clipFraction
/// ```
public protocol PolicyObjective: Sendable {
    /// The loss, its gradient with respect to every per-step new log-prob, and diagnostics.
    func evaluate(newLogProbs: TrajectoryTensor<Double>, batch: PolicyGradientBatch,
                  kl: KLReference?) throws -> ObjectiveResult
}

extension PolicyObjective {
    /// Evaluates the objective from the current head's transition means at the stored samples (§3.6).
    ///
    /// The log-probs are `ℓ^θ = log N(x_{k+1}; μ^θ, s²)` with the batch's stds, and the returned
    /// `gradientMeans` is the total `∂L/∂μ^θ`: through the log-probs, `(x − μ)/s² · ∂L/∂ℓ`, plus the
    /// closed-form KL when `referenceMeans` is given.
    /// - Throws: ``ValidationError`` if the batch has no stds or a tensor's shape or values are wrong.
    public func evaluate(newMeans: TrajectoryTensor<Double>, samples: TrajectoryTensor<Double>,
                         batch: PolicyGradientBatch,
                         referenceMeans: TrajectoryTensor<Double>? = nil) throws -> ObjectiveResult {
        guard let stds = batch.stds else {
            throw ValidationError.invalid(argument: "batch.stds", reason: "evaluating from means needs the step stds")
        }
        try batch.validateCompanion(newMeans, "newMeans")
        try batch.validateCompanion(samples, "samples")
        let shape = batch.shape
        var logProbs = TrajectoryTensor<Double>(zeros: shape)
        var score = [Double](repeating: 0, count: shape.elementCount)   // ∂ℓ/∂μ per element
        for b in 0..<shape.batch {
            for s in 0..<shape.outerSteps {
                for k in 0..<shape.denoisingSteps {
                    let std = stds[b: b, s: s, k: k]
                    let base = shape.index(b: b, s: s, k: k, c: 0, d: 0)
                    for i in base..<(base + shape.chunk * shape.actionDim) {
                        logProbs.values[i] = FlowSDE.logProb(of: samples.values[i], mean: newMeans.values[i], std: std)
                        score[i] = FlowSDE.logProbMeanDerivative(of: samples.values[i], mean: newMeans.values[i], std: std)
                    }
                }
            }
        }
        let kl = referenceMeans.map { KLReference.closedForm(newMeans: newMeans, referenceMeans: $0) }
        var result = try evaluate(newLogProbs: logProbs, batch: batch, kl: kl)
        var total = result.gradientMeans?.values ?? [Double](repeating: 0, count: shape.elementCount)
        for i in total.indices { total[i] += result.gradientLogProbs.values[i] * score[i] }
        result.gradientMeans = try TrajectoryTensor(shape: shape, values: total)
        return result
    }
}
