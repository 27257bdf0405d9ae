/// The reference policy's side of the KL regulariser `β·KL(π_θ ‖ π_ref)` (rl-math.md §5).
///
/// ```swift
/// let kl = KLReference.closedForm(newMeans: means, referenceMeans: refMeans)   // default estimator
/// let out = try FAGRPO().evaluate(newLogProbs: new, batch: batch, kl: kl)
/// ```
public enum KLReference: Sendable, Equatable {
    /// Closed-form Gaussian KL per step `(μ_θ − μ_ref)²/(2s²)` at the stored states; needs the batch's stds.
    case closedForm(newMeans: TrajectoryTensor<Double>, referenceMeans: TrajectoryTensor<Double>)
    /// Schulman's k3 on the chain log-ratio `Σ_k (ℓ^ref − ℓ^θ)` per element.
    case k3(referenceLogProbs: TrajectoryTensor<Double>)
}

/// Adds `β·(1/N)·Σ M·KL` and its gradients to an objective's accumulators.
struct KLTerm {
    /// Adds the KL term (if any) to a policy loss and its gradient and packs the result. The KL term always
    /// uses FA-GRPO's normaliser: one term per valid `(b, s, c, d)`.
    static func finish(policyLoss: Double, gradientLogProbs: [Double], stats: DiagnosticsAccumulator,
                       kl: KLReference?, newLogProbs: TrajectoryTensor<Double>, batch: PolicyGradientBatch,
                       configuration: ObjectiveConfiguration) throws -> ObjectiveResult {
        let shape = batch.shape
        var gradient = gradientLogProbs
        var gradientMeans: [Double]? = nil
        var klLoss = 0.0
        if let kl, configuration.klCoefficient > 0 {
            let scales = configuration.rolloutScales(mask: batch.mask, termsPerPosition: shape.actionDim)
            klLoss = try accumulate(kl, newLogProbs: newLogProbs, batch: batch, scales: scales,
                                    beta: configuration.klCoefficient, gradientLogProbs: &gradient,
                                    gradientMeans: &gradientMeans)
        }
        return ObjectiveResult(
            loss: policyLoss + configuration.klCoefficient * klLoss, policyLoss: policyLoss, klLoss: klLoss,
            gradientLogProbs: try TrajectoryTensor(shape: shape, values: gradient),
            gradientMeans: try gradientMeans.map { try TrajectoryTensor(shape: shape, values: $0) },
            diagnostics: stats.finish(mask: batch.mask))
    }

    /// Returns `(1/N)·Σ M·KL` (before β) and adds β times its gradients into the given buffers.
    static func accumulate(_ reference: KLReference, newLogProbs: TrajectoryTensor<Double>, batch: PolicyGradientBatch,
                           scales: [Double], beta: Double, gradientLogProbs: inout [Double],
                           gradientMeans: inout [Double]?) throws -> Double {
        let shape = batch.shape
        var total = 0.0
        switch reference {
        case .closedForm(let newMeans, let referenceMeans):
            try batch.validateCompanion(newMeans, "kl.newMeans")
            try batch.validateCompanion(referenceMeans, "kl.referenceMeans")
            guard let stds = batch.stds else {
                throw ValidationError.invalid(argument: "batch.stds", reason: "the closed-form KL needs the step stds")
            }
            var gradient = gradientMeans ?? [Double](repeating: 0, count: shape.elementCount)
            forEachValid(shape, batch.mask) { b, s, c in
                for k in 0..<shape.denoisingSteps {
                    let variance = stds[b: b, s: s, k: k] * stds[b: b, s: s, k: k]
                    for d in 0..<shape.actionDim {
                        let i = shape.index(b: b, s: s, k: k, c: c, d: d)
                        let diff = newMeans.values[i] - referenceMeans.values[i]
                        total += scales[b] * diff * diff / (2 * variance)
                        gradient[i] += beta * scales[b] * diff / variance
                    }
                }
            }
            gradientMeans = gradient
        case .k3(let referenceLogProbs):
            try batch.validateCompanion(referenceLogProbs, "kl.referenceLogProbs")
            forEachValid(shape, batch.mask) { b, s, c in
                for d in 0..<shape.actionDim {
                    var logRho = 0.0
                    for k in 0..<shape.denoisingSteps {
                        let i = shape.index(b: b, s: s, k: k, c: c, d: d)
                        logRho += referenceLogProbs.values[i] - newLogProbs.values[i]
                    }
                    total += scales[b] * GaussianKL.k3(logRatio: logRho)
                    // ∂ln ρ/∂ℓ^θ_k = −1 for every k.
                    let g = -beta * scales[b] * GaussianKL.k3Derivative(logRatio: logRho)
                    for k in 0..<shape.denoisingSteps {
                        gradientLogProbs[shape.index(b: b, s: s, k: k, c: c, d: d)] += g
                    }
                }
            }
        }
        return total
    }
}

/// Calls `body(b, s, c)` for every valid mask entry, in layout order.
@inline(__always)
func forEachValid(_ shape: TrajectoryShape, _ mask: TerminationMask, _ body: (Int, Int, Int) -> Void) {
    for b in 0..<shape.batch {
        for s in 0..<shape.outerSteps {
            for c in 0..<shape.chunk where mask.isValid(b: b, s: s, c: c) { body(b, s, c) }
        }
    }
}
