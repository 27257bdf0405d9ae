/// The value of a policy objective, its exact gradients, and the diagnostics a trainer logs.
public struct ObjectiveResult: Sendable, Equatable {
    /// `L = L_pg + β·L_KL`.
    public var loss: Double
    /// The clipped policy-gradient part `L_pg`.
    public var policyLoss: Double
    /// The KL part before β (0 when no reference is given).
    public var klLoss: Double
    /// `∂L/∂ℓ^θ[b, s, k, c, d]` with the means held fixed (0 on masked and clipped entries).
    public var gradientLogProbs: TrajectoryTensor<Double>
    /// `∂L/∂μ^θ[b, s, k, c, d]`: the total derivative through the log-probs and the KL when the objective was
    /// evaluated from means (`evaluate(newMeans:…)`); otherwise only the closed-form KL's part, or nil.
    public var gradientMeans: TrajectoryTensor<Double>?
    /// Clip fraction, ratios and masking statistics.
    public var diagnostics: ObjectiveDiagnostics
}

/// Statistics of one objective evaluation, over the valid surrogate terms.
public struct ObjectiveDiagnostics: Sendable, Equatable {
    /// Fraction of valid ratio terms whose clipped branch was taken (their gradient is 0).
    public var clipFraction: Double
    /// Mean ratio over valid terms (exactly 1 before the first update).
    public var meanRatio: Double
    /// `mean((r − 1) − ln r)` over valid terms: the k3 estimate of KL(old ‖ new).
    public var approxKL: Double
    /// Largest `|ln r|` over valid terms (0 exactly on the first minibatch of an RL step).
    public var maxAbsLogRatio: Double
    /// Fraction of `(b, s, c)` entries that are masked.
    public var maskedFraction: Double
    /// Number of valid ratio terms.
    public var termCount: Int
}

/// Accumulates diagnostics over ratio terms.
struct DiagnosticsAccumulator {
    var clipped = 0
    var ratioSum = 0.0
    var approxKLSum = 0.0
    var maxAbsLogRatio = 0.0
    var count = 0

    mutating func add(ratio: Double, logRatio: Double, clipped wasClipped: Bool) {
        count += 1
        if wasClipped { clipped += 1 }
        ratioSum += ratio
        approxKLSum += (ratio - 1) - logRatio
        maxAbsLogRatio = max(maxAbsLogRatio, abs(logRatio))
    }

    func finish(mask: TerminationMask) -> ObjectiveDiagnostics {
        let n = Double(max(count, 1))
        return ObjectiveDiagnostics(clipFraction: Double(clipped) / n, meanRatio: ratioSum / n,
                                    approxKL: approxKLSum / n, maxAbsLogRatio: maxAbsLogRatio,
                                    maskedFraction: mask.maskedFraction, termCount: count)
    }
}
