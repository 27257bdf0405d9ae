import ProphRLCore

/// Recomputes the published test vectors of rl-math.md §13 (T1–T6) with the built core and compares them,
/// so a user can verify the RL math on their own machine without a GPU or data (`prophrl selfcheck`).
///
/// ```swift
/// let report = try CoreSelfCheck.run()
/// print(report.passed ? "ok" : report.failures.map(\.name))
/// ```
public enum CoreSelfCheck {
    /// One compared quantity.
    public struct Check: Sendable, Equatable {
        /// The vector and quantity, e.g. "T1 μ".
        public var name: String
        /// The published values.
        public var expected: [Double]
        /// The values the core computed.
        public var actual: [Double]
        /// The relative tolerance used.
        public var tolerance: Double

        /// Whether every value is within tolerance.
        public var passed: Bool {
            expected.count == actual.count && zip(actual, expected).allSatisfy { a, e in
                abs(a - e) <= 1e-12 + tolerance * abs(e)
            }
        }
    }

    /// All checks of one run.
    public struct Report: Sendable, Equatable {
        /// The checks in spec order.
        public var checks: [Check]
        /// Whether all passed.
        public var passed: Bool { checks.allSatisfy(\.passed) }
        /// The failing checks.
        public var failures: [Check] { checks.filter { !$0.passed } }
    }

    /// Runs every vector. Published values carry 10 significant digits, so the tolerance is relative 1e-8
    /// (tighter than the spec's Float32 bound of 1e-5).
    /// - Throws: only if the core rejects a published input, which is itself a failure worth reporting.
    public static func run(tolerance: Double = 1e-8) throws -> Report {
        var checks: [Check] = []
        func check(_ name: String, _ actual: [Double], _ expected: [Double]) {
            checks.append(Check(name: name, expected: expected, actual: actual, tolerance: tolerance))
        }

        // T1: one Flow-SDE step.
        let t1 = try StepCoefficients(eta: 0.7, tau: 0.6, next: 0.4)
        check("T1 σ_τ, s", [t1.sigmaTau, t1.std], [0.8573214099741122, 0.38340579025361615])
        let mean = FlowSDE.mean(x: [0.5, -1.0, 2.0], velocity: [1.0, 0.5, -0.3], t1)
        check("T1 μ", mean, [0.18975, -1.002, 1.8297])
        let next = zip(mean, [0.1, -0.2, 0.3]).map { $0 + t1.std * $1 }
        check("T1 x'", next, [0.228090579, -1.0786811581, 1.9447217371])
        check("T1 ℓ", FlowSDE.logProbs(of: next, mean: mean, std: t1.std), [0.0347228129, 0.0197228129, -0.0052771871])

        // T1b and T2: the default grid and the τ = 1 substitution.
        let sde = try FlowSDE(grid: .uniform(steps: 4), eta: 0.5)
        let first = try sde.step(x: [0.3, -0.7], velocity: [-0.4, 1.1], noise: [0.5, -1.0], at: 0)
        check("T1b x', ℓ", first.next + first.logProbs, [0.6125, -1.3875, -0.3507913526, -0.7257913526])
        check("T2 s_k", sde.stds, [0.5, 0.4330127019, 0.25, 0.1443375673])
        let sd3 = try FlowSDE(grid: .sd3(steps: 10, shift: 3), eta: 0.7)
        check("T2 SD3 τ[1...3]", Array(sd3.grid.taus[1...3]), [0.9601293103, 0.9133489461, 0.8576923077])

        // T3: FlowScale weights.
        check("T3 default w", try FlowScale().weights(variances: sde.variances),
              [1.4599964672, 1.2199983104, 0.7400019968, 0.5800032256])
        check("T3 clipped w", try FlowScale(alpha: 0.2, maxWeight: 1.5).weights(variances: sde.variances),
              [1.5, 1.3519972967, 0.5840031949, 0.5])

        // T4: GRPO advantages.
        let advantages = try GroupAdvantages.compute(rewards: [1, 0, 0, 1, 1, 0, 0, 0], groupSize: 8).advantages
        check("T4 Â (ddof 0)", [advantages[0], advantages[1]], [1.2907278371, -0.7744367023])

        // T5: the toy batch through every objective.
        let (batch, new) = try toyBatch()
        let plain = FAGRPO(configuration: .init(klCoefficient: 0))
        check("T5 FA-GRPO loss", [try plain.evaluate(newLogProbs: new, batch: batch, kl: nil).loss], [0.2166577212])
        check("T5 masked-sum loss", [try FAGRPO(configuration: .init(normalizer: .maskedSum))
            .evaluate(newLogProbs: new, batch: batch, kl: nil).loss], [0.6499731636])
        check("T5 Flow-GRPO loss", [try FlowGRPO().evaluate(newLogProbs: new, batch: batch, kl: nil).loss], [0.2782224138])
        let w = try StepValues(broadcasting: [1.4, 0.6], batch: 2, outerSteps: 1)
        var flowScaleLosses: [Double] = []
        for placement in [FlowScale.Placement.weightedLogRatio, .gradientOnly, .perStep] {
            flowScaleLosses.append(try FlowScaleObjective(flowScale: FlowScale(placement: placement))
                .evaluate(newLogProbs: new, batch: batch, kl: nil, weights: w).loss)
        }
        check("T5 FlowScale A1, A2, B", flowScaleLosses, [0.1856314577, 0.2166577212, 0.2565551339])

        // T6: KL estimators.
        check("T6 closed form, k3", [GaussianKL.closedForm(mean: 0.2, referenceMean: 0.25, std: 0.3),
                                     GaussianKL.k3(logRatio: -0.1)], [0.0138888889, 0.0048374180])
        return Report(checks: checks)
    }

    /// The T5 toy batch: G = 2, S = 1, CH = 2, D = 1, K = 2; rollout 0 terminated at position 0.
    static func toyBatch() throws -> (PolicyGradientBatch, TrajectoryTensor<Double>) {
        let shape = try TrajectoryShape(batch: 2, outerSteps: 1, denoisingSteps: 2, chunk: 2, actionDim: 1)
        // Spec order [g][c][k] → layout order [b][s][k][c][d].
        func layout(_ gck: [Double]) throws -> TrajectoryTensor<Double> {
            var t = TrajectoryTensor<Double>(zeros: shape)
            for g in 0..<2 { for c in 0..<2 { for k in 0..<2 { t[b: g, s: 0, k: k, c: c, d: 0] = gck[g * 4 + c * 2 + k] } } }
            return t
        }
        let old = try layout([-0.50, 0.20, 0.10, -0.30, -0.40, 0.05, 0.30, 0.00])
        let new = try layout([-0.45, 0.30, 0.40, -0.30, -0.60, 0.10, 0.20, 0.05])
        let advantages = try GroupAdvantages.compute(rewards: [1, 0], groupSize: 2).advantages
        let mask = try TerminationMask(positionDone: [[true, false], [false, false]], outerSteps: 1, chunk: 2)
        return (try PolicyGradientBatch(oldLogProbs: old, advantages: advantages, mask: mask), new)
    }
}
