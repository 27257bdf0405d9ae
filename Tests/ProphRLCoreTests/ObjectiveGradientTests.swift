import ProphRLCore
import ProphRLTesting
import Testing

/// Analytic gradients of every objective against central finite differences (Double), on random batches with
/// early terminations, padding and active clipping.
@Suite("Objective gradients vs finite differences")
struct ObjectiveGradientTests {
    static let shape = try! TrajectoryShape(batch: 4, outerSteps: 2, denoisingSteps: 3, chunk: 3, actionDim: 2)

    /// Checks `gradient` against finite differences of `loss` over every element of `point`.
    func checkGradient(_ loss: (TrajectoryTensor<Double>) throws -> Double, at point: TrajectoryTensor<Double>,
                       gradient: TrajectoryTensor<Double>, _ what: String) throws {
        let numeric = try FiniteDifference.gradient(of: { values in
            try loss(try TrajectoryTensor(shape: point.shape, values: values))
        }, at: point.values, step: 1e-6)
        RL.expectClose(gradient.values, numeric, rtol: 1e-5, atol: 1e-8, what)
    }

    static let objectives: [(String, any PolicyObjective)] = [
        ("FA-GRPO masked mean", FAGRPO()),
        ("FA-GRPO masked sum", FAGRPO(configuration: .init(normalizer: .maskedSum))),
        ("FA-GRPO per-rollout mean", FAGRPO(configuration: .init(normalizer: .perRolloutMean))),
        ("FlowScale A1", FlowScaleObjective(flowScale: FlowScale(placement: .weightedLogRatio))),
        ("FlowScale B", FlowScaleObjective(flowScale: FlowScale(placement: .perStep))),
        ("Flow-GRPO mean", FlowGRPO()),
        ("Flow-GRPO sum", FlowGRPO(reduction: .sum)),
    ]

    @Test("∂L/∂ℓ^θ matches finite differences, with k3 KL", arguments: 0..<objectives.count)
    func logProbGradient(index: Int) throws {
        let (name, objective) = Self.objectives[index]
        let (batch, new) = try RL.randomProblem(Self.shape, seed: 100 + UInt64(index))
        var rng = SeededGenerator(seed: 7)
        let reference = RL.gaussian(Self.shape, &rng, scale: 0.1, offset: -1)
        let kl = KLReference.k3(referenceLogProbs: reference)
        let out = try objective.evaluate(newLogProbs: new, batch: batch, kl: kl)
        #expect(out.diagnostics.clipFraction > 0.02, "\(name): clipping must be active for the test to mean something")
        try checkGradient({ try objective.evaluate(newLogProbs: $0, batch: batch, kl: kl).loss },
                          at: new, gradient: out.gradientLogProbs, name)
    }

    @Test("FlowScale A2: gradient of the stop-gradient surrogate w·ℓ + (1 − w)·sg(ℓ)")
    func gradientOnlyPlacement() throws {
        let (batch, new) = try RL.randomProblem(Self.shape, seed: 42)
        let objective = FlowScaleObjective(flowScale: FlowScale(placement: .gradientOnly))
        let out = try objective.evaluate(newLogProbs: new, batch: batch, kl: nil)
        let w = try FlowScale().weights(stds: try #require(batch.stds))
        let shape = Self.shape
        // Independent reference: plain FA-GRPO evaluated at w·ℓ + (1 − w)·ℓ₀ with ℓ₀ held at the base point.
        try checkGradient({ perturbed in
            var mixed = new
            for b in 0..<shape.batch { for s in 0..<shape.outerSteps { for k in 0..<shape.denoisingSteps {
                for c in 0..<shape.chunk { for d in 0..<shape.actionDim {
                    let wk = w[b: b, s: s, k: k]
                    mixed[b: b, s: s, k: k, c: c, d: d] = wk * perturbed[b: b, s: s, k: k, c: c, d: d]
                        + (1 - wk) * new[b: b, s: s, k: k, c: c, d: d]
                } }
            } } }
            return try FAGRPO().evaluate(newLogProbs: mixed, batch: batch, kl: nil).loss
        }, at: new, gradient: out.gradientLogProbs, "A2")
    }

    @Test("∂L/∂μ^θ through the Gaussian log-probs and the closed-form KL matches finite differences",
          arguments: [0, 3, 5])
    func meanGradient(index: Int) throws {
        let (name, objective) = Self.objectives[index]
        var rng = SeededGenerator(seed: 900 + UInt64(index))
        let shape = Self.shape
        let (template, _) = try RL.randomProblem(shape, seed: 300 + UInt64(index))
        let stds = try #require(template.stds)
        let oldMeans = RL.gaussian(shape, &rng)
        var samples = oldMeans
        var old = TrajectoryTensor<Double>(zeros: shape)
        for b in 0..<shape.batch { for s in 0..<shape.outerSteps { for k in 0..<shape.denoisingSteps {
            let std = stds[b: b, s: s, k: k]
            for c in 0..<shape.chunk { for d in 0..<shape.actionDim {
                samples[b: b, s: s, k: k, c: c, d: d] += std * rng.nextGaussian()
                old[b: b, s: s, k: k, c: c, d: d] = FlowSDE.logProb(of: samples[b: b, s: s, k: k, c: c, d: d],
                                                                    mean: oldMeans[b: b, s: s, k: k, c: c, d: d], std: std)
            } }
        } } }
        let batch = try PolicyGradientBatch(oldLogProbs: old, advantages: template.advantages, mask: template.mask, stds: stds)
        var newMeans = oldMeans
        for i in newMeans.values.indices { newMeans.values[i] += 0.02 * rng.nextGaussian() }
        let referenceMeans = RL.gaussian(shape, &rng, scale: 0.05)
        let out = try objective.evaluate(newMeans: newMeans, samples: samples, batch: batch, referenceMeans: referenceMeans)
        #expect(out.klLoss > 0)
        try checkGradient({ try objective.evaluate(newMeans: $0, samples: samples, batch: batch,
                                                   referenceMeans: referenceMeans).loss },
                          at: newMeans, gradient: try #require(out.gradientMeans), "\(name) ∂L/∂μ")
    }
}
