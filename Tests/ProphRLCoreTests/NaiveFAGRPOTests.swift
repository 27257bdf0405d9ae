import ProphRLCore
import RealModule
import Testing

/// A loop-by-loop FA-GRPO written straight from rl-math.md §8 with nested arrays, independent of the
/// production code's flat layout, normaliser helper and shared accumulators.
struct NaiveFAGRPO {
    let epsilon = 0.2, beta = 0.01

    /// Loss and ∂L/∂ℓ^θ as nested arrays `[b][s][k][c][d]`, with the k3 KL to `reference`.
    func evaluate(new: [[[[[Double]]]]], old: [[[[[Double]]]]], reference: [[[[[Double]]]]],
                  advantages: [Double], mask: [[[Bool]]]) -> (loss: Double, gradient: [[[[[Double]]]]]) {
        let B = new.count, S = new[0].count, K = new[0][0].count, CH = new[0][0][0].count, D = new[0][0][0][0].count
        var n = 0.0
        for b in 0..<B { for s in 0..<S { for c in 0..<CH where mask[b][s][c] { n += Double(D) } } }
        var loss = 0.0
        var gradient = new.map { $0.map { $0.map { $0.map { $0.map { _ in 0.0 } } } } }
        for b in 0..<B { for s in 0..<S { for c in 0..<CH where mask[b][s][c] { for d in 0..<D {
            var logR = 0.0, logRho = 0.0
            for k in 0..<K {
                logR += new[b][s][k][c][d] - old[b][s][k][c][d]
                logRho += reference[b][s][k][c][d] - new[b][s][k][c][d]
            }
            let r = Double.exp(logR), a = advantages[b]
            let unclipped = r * a, clipped = min(max(r, 1 - epsilon), 1 + epsilon) * a
            let useUnclipped = unclipped <= clipped
            loss -= min(unclipped, clipped) / n
            let rho = Double.exp(logRho)
            loss += beta * (rho - logRho - 1) / n
            for k in 0..<K {
                gradient[b][s][k][c][d] = (useUnclipped ? -a * r / n : 0) - beta * (rho - 1) / n
            }
        } } } }
        return (loss, gradient)
    }
}

@Suite("FA-GRPO vs a naive loop-by-loop reference")
struct NaiveFAGRPOTests {
    func nested(_ t: TrajectoryTensor<Double>) -> [[[[[Double]]]]] {
        let sh = t.shape
        return (0..<sh.batch).map { b in (0..<sh.outerSteps).map { s in (0..<sh.denoisingSteps).map { k in
            (0..<sh.chunk).map { c in (0..<sh.actionDim).map { d in t[b: b, s: s, k: k, c: c, d: d] } } } } }
    }

    @Test("Random shapes, B=8 S=3 K=5 CH=4 D=7 and others", arguments: [
        (8, 3, 5, 4, 7), (2, 1, 1, 1, 1), (5, 4, 4, 20, 7), (3, 2, 2, 6, 14),
    ])
    func matchesNaive(sizes: (Int, Int, Int, Int, Int)) throws {
        let shape = try TrajectoryShape(batch: sizes.0, outerSteps: sizes.1, denoisingSteps: sizes.2,
                                        chunk: sizes.3, actionDim: sizes.4)
        let (batch, new) = try RL.randomProblem(shape, seed: UInt64(sizes.0 * 1000 + sizes.3))
        var rng = SeededGenerator(seed: 77)
        let reference = RL.gaussian(shape, &rng, scale: 0.2, offset: -1)
        let out = try FAGRPO().evaluate(newLogProbs: new, batch: batch, kl: .k3(referenceLogProbs: reference))
        let mask = (0..<shape.batch).map { b in (0..<shape.outerSteps).map { s in
            (0..<shape.chunk).map { c in batch.mask.isValid(b: b, s: s, c: c) } } }
        let naive = NaiveFAGRPO().evaluate(new: nested(new), old: nested(batch.oldLogProbs), reference: nested(reference),
                                           advantages: batch.advantages, mask: mask)
        RL.expectClose(out.loss, naive.loss, rtol: 1e-10, atol: 1e-14, "loss")
        let flat = naive.gradient.flatMap { $0.flatMap { $0.flatMap { $0.flatMap { $0 } } } }
        RL.expectClose(out.gradientLogProbs.values, flat, rtol: 1e-10, atol: 1e-14, "gradient")
    }
}
