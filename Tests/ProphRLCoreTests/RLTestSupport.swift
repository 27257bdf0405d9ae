import ProphRLCore
import ProphRLTesting
import Testing

/// Shared builders and checks for the RL-math tests.
enum RL {
    /// Asserts that `actual` matches `expected` element-wise within a relative tolerance.
    static func expectClose(_ actual: [Double], _ expected: [Double], rtol: Double = 1e-9, atol: Double = 1e-12,
                            _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        if let m = Tolerance.firstMismatch(actual, expected, rtol: rtol, atol: atol) {
            Issue.record("\(what): element \(m.index) is \(m.actual), expected \(m.expected)", sourceLocation: sourceLocation)
        }
    }

    /// Asserts one scalar within a relative tolerance.
    static func expectClose(_ actual: Double, _ expected: Double, rtol: Double = 1e-9, atol: Double = 1e-12,
                            _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        if !Tolerance.isClose(actual, expected, rtol: rtol, atol: atol) {
            Issue.record("\(what): \(actual), expected \(expected)", sourceLocation: sourceLocation)
        }
    }

    /// A tensor of seeded Gaussian values with the given scale and offset.
    static func gaussian(_ shape: TrajectoryShape, _ rng: inout SeededGenerator, scale: Double = 1,
                         offset: Double = 0) -> TrajectoryTensor<Double> {
        var t = TrajectoryTensor<Double>(zeros: shape)
        for i in t.values.indices { t.values[i] = offset + scale * rng.nextGaussian() }
        return t
    }

    /// A random mask with early terminations and padding, never empty.
    static func randomMask(_ shape: TrajectoryShape, _ rng: inout SeededGenerator) throws -> TerminationMask {
        let capacity = shape.outerSteps * shape.chunk
        let done: [[Bool]] = (0..<shape.batch).map { b in
            let executed = b == 0 ? capacity : 1 + Int(rng.nextUniform() * Double(capacity))
            let doneAt = rng.nextUniform() < 0.5 ? Int(rng.nextUniform() * Double(executed)) : -1
            return (0..<min(executed, capacity)).map { $0 == doneAt }
        }
        return try TerminationMask(positionDone: done, outerSteps: shape.outerSteps, chunk: shape.chunk)
    }

    /// A random batch whose new log-probs differ from the old ones enough to clip some ratios.
    static func randomProblem(_ shape: TrajectoryShape, seed: UInt64, logRatioScale: Double = 0.15)
        throws -> (batch: PolicyGradientBatch, newLogProbs: TrajectoryTensor<Double>) {
        var rng = SeededGenerator(seed: seed)
        let old = gaussian(shape, &rng, scale: 1, offset: -1)
        var new = old
        for i in new.values.indices { new.values[i] += logRatioScale * rng.nextGaussian() }
        let advantages = (0..<shape.batch).map { _ in rng.nextGaussian() }
        let stds = try StepValues(batch: shape.batch, outerSteps: shape.outerSteps, denoisingSteps: shape.denoisingSteps,
                                  values: (0..<shape.stepCount).map { _ in 0.05 + rng.nextUniform() })
        let batch = try PolicyGradientBatch(oldLogProbs: old, advantages: advantages,
                                            mask: try randomMask(shape, &rng), stds: stds)
        return (batch, new)
    }

    /// The toy batch of rl-math.md T5: G = 2, S = 1, CH = 2, D = 1, K = 2.
    static func toyBatch() throws -> (batch: PolicyGradientBatch, newLogProbs: TrajectoryTensor<Double>) {
        let shape = try TrajectoryShape(batch: 2, outerSteps: 1, denoisingSteps: 2, chunk: 2, actionDim: 1)
        // Layout [b][s][k][c][d]; the spec lists [g][c][k], so transpose.
        func layout(_ gck: [[[Double]]]) throws -> TrajectoryTensor<Double> {
            var t = TrajectoryTensor<Double>(zeros: shape)
            for g in 0..<2 { for c in 0..<2 { for k in 0..<2 { t[b: g, s: 0, k: k, c: c, d: 0] = gck[g][c][k] } } }
            return t
        }
        let old = try layout([[[-0.50, 0.20], [0.10, -0.30]], [[-0.40, 0.05], [0.30, 0.00]]])
        let new = try layout([[[-0.45, 0.30], [0.40, -0.30]], [[-0.60, 0.10], [0.20, 0.05]]])
        let advantages = try GroupAdvantages.compute(rewards: [1, 0], groupSize: 2).advantages
        let mask = try TerminationMask(positionDone: [[true, false], [false, false]], outerSteps: 1, chunk: 2)
        return (try PolicyGradientBatch(oldLogProbs: old, advantages: advantages, mask: mask), new)
    }
}
