import ProphRLCore
import Testing

@Suite("FA-GRPO, Flow-GRPO and FlowScale vectors (rl-math.md T3, T5)")
struct ObjectiveVectorTests {
    @Test("T5: one element, K = 3, ratio from the summed log-ratios")
    func singleElement() throws {
        let shape = try TrajectoryShape(batch: 1, outerSteps: 1, denoisingSteps: 3, chunk: 1, actionDim: 1)
        let old = try TrajectoryTensor(shape: shape, values: [-1.25, 0.30, 1.12])
        let new = try TrajectoryTensor(shape: shape, values: [-1.20, 0.35, 1.10])
        for advantage in [1.5, -1.5] {
            let batch = try PolicyGradientBatch(oldLogProbs: old, advantages: [advantage],
                                                mask: .allValid(batch: 1, outerSteps: 1, chunk: 1))
            let out = try FAGRPO(configuration: .init(klCoefficient: 0)).evaluate(newLogProbs: new, batch: batch, kl: nil)
            RL.expectClose(out.diagnostics.meanRatio, 1.0832870677, rtol: 1e-9, "r")
            RL.expectClose(-out.loss, advantage > 0 ? 1.6249306015 : -1.6249306015, rtol: 1e-9, "surrogate")
            #expect(out.diagnostics.clipFraction == 0)
        }
    }

    @Test("T5: the four clipping cases")
    func clippingCases() {
        let cases: [(Double, Double, Double, Bool)] = [
            (1.3498588076, 1.5, 1.8, true), (1.3498588076, -1.5, -2.0247882114, false),
            (0.7408182207, 1.5, 1.1112273310, false), (0.7408182207, -1.5, -1.2, true),
        ]
        for (r, a, f, clipped) in cases {
            let out = ClippedSurrogate.evaluate(ratio: r, advantage: a, epsilon: 0.2)
            RL.expectClose(out.value, f, rtol: 1e-9, "f_clip(\(r), \(a))")
            #expect(out.clipped == clipped)
            #expect(out.derivative == (clipped ? 0 : a))
        }
    }

    @Test("T5 toy batch: FA-GRPO (masked mean and sum) and the Flow-GRPO baseline")
    func toyBatch() throws {
        let (batch, new) = try RL.toyBatch()
        RL.expectClose(batch.advantages, [0.99980004, -0.99980004], rtol: 1e-8, "Â")
        let mean = try FAGRPO().evaluate(newLogProbs: new, batch: batch, kl: nil)
        RL.expectClose(mean.loss, 0.2166577212, rtol: 1e-9, "FA-GRPO masked mean")
        RL.expectClose(mean.diagnostics.meanRatio, (1.1618342427 + 0.8607079764 + 0.9512294245) / 3, rtol: 1e-9, "mean r")
        #expect(mean.diagnostics.termCount == 3)
        RL.expectClose(mean.diagnostics.maskedFraction, 0.25, "masked fraction")
        let sum = try FAGRPO(configuration: .init(normalizer: .maskedSum)).evaluate(newLogProbs: new, batch: batch, kl: nil)
        RL.expectClose(sum.loss, 0.6499731636, rtol: 1e-9, "FA-GRPO masked sum")
        let baseline = try FlowGRPO().evaluate(newLogProbs: new, batch: batch, kl: nil)
        RL.expectClose(baseline.loss, 0.2782224138, rtol: 1e-9, "Flow-GRPO baseline")
    }

    @Test("T5 toy batch: FlowScale placements A1, A2 (value and gradient) and B with w = [1.4, 0.6]")
    func toyFlowScale() throws {
        let (batch, new) = try RL.toyBatch()
        let w = try StepValues(broadcasting: [1.4, 0.6], batch: 2, outerSteps: 1)
        func objective(_ p: FlowScale.Placement) -> FlowScaleObjective {
            FlowScaleObjective(flowScale: FlowScale(placement: p))
        }
        let a1 = try objective(.weightedLogRatio).evaluate(newLogProbs: new, batch: batch, kl: nil, weights: w)
        RL.expectClose(a1.loss, 0.1856314577, rtol: 1e-9, "A1")
        let a2 = try objective(.gradientOnly).evaluate(newLogProbs: new, batch: batch, kl: nil, weights: w)
        RL.expectClose(a2.loss, 0.2166577212, rtol: 1e-9, "A2 value")
        var expected = TrajectoryTensor<Double>(zeros: batch.shape)
        let spec = [[[-0.5420808971, -0.2323203845], [0, 0]], [[0.4015834057, 0.1721071739], [0.4438183011, 0.1902078433]]]
        for g in 0..<2 { for c in 0..<2 { for k in 0..<2 { expected[b: g, s: 0, k: k, c: c, d: 0] = spec[g][c][k] } } }
        RL.expectClose(a2.gradientLogProbs.values, expected.values, rtol: 1e-8, atol: 1e-12, "A2 gradient")
        let b = try objective(.perStep).evaluate(newLogProbs: new, batch: batch, kl: nil, weights: w)
        RL.expectClose(b.loss, 0.2565551339, rtol: 1e-9, "B")
    }

    @Test("T3: FlowScale weights on the T2 variances")
    func t3() throws {
        let variances = [0.25, 0.1875, 0.0625, 0.25 / 12]
        let normalized = try FlowScale().normalizedWeights(variances: variances)
        RL.expectClose(normalized, [1.9199929345, 1.4399966208, 0.4800039936, 0.1600064512], rtol: 1e-9, "w̃/mean")
        RL.expectClose(try FlowScale().weights(variances: variances),
                       [1.4599964672, 1.2199983104, 0.7400019968, 0.5800032256], rtol: 1e-9, "default w")
        let tight = try FlowScale(alpha: 0.2, minWeight: 0.5, maxWeight: 1.5).weights(variances: variances)
        RL.expectClose(tight, [1.5, 1.3519972967, 0.5840031949, 0.5], rtol: 1e-9, "clipped w")
        RL.expectClose(tight.reduce(0, +) / 4, 0.9840001229, rtol: 1e-9, "mean after clip")
        let sqrt = try FlowScale(power: 0.5, alpha: 0, minWeight: 0, maxWeight: 10).weights(variances: variances)
        RL.expectClose(sqrt, [1.5067556521, 1.3048895419, 0.7533823463, 0.4349724597], rtol: 1e-9, "p = 0.5")
        // The SD3 reference grid with p = 1, α = 0 (T2): the last step is almost switched off.
        let sd3 = try FlowSDE(grid: .sd3(steps: 10, shift: 3), eta: 0.7)
        let sd3Weights = try FlowScale(alpha: 0, minWeight: 0, maxWeight: 100).weights(variances: sd3.variances)
        RL.expectClose(Array(sd3Weights.prefix(9)), [2.40383, 2.70797, 1.41021, 0.97539, 0.75305, 0.61060, 0.49944,
                                                     0.39015, 0.24916], rtol: 2e-5, "SD3 weights")
        #expect(sd3Weights[9] < 3e-4)
    }
}
