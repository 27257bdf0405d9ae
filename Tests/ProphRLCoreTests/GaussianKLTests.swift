import ProphRLCore
import Testing

@Suite("KL estimators (rl-math.md §5, T6)")
struct GaussianKLTests {
    @Test("T6: closed form, velocity identity and k3")
    func t6() throws {
        let kl = [GaussianKL.closedForm(mean: 0.2, referenceMean: 0.25, std: 0.3),
                  GaussianKL.closedForm(mean: -0.1, referenceMean: -0.05, std: 0.3)]
        RL.expectClose(kl, [0.0138888889, 0.0138888889], rtol: 1e-8, "per element")
        RL.expectClose(kl.reduce(0, +), 0.0277777778, rtol: 1e-8, "sum")

        let c = try StepCoefficients(eta: 0.7, tau: 0.6, next: 0.4)
        let dv = [0.1, -0.2]
        let viaVelocity = try dv.map { try GaussianKL.fromVelocityDifference($0, coefficients: c) }.reduce(0, +)
        // μ-based: the means differ by b·Δv at the same x.
        let viaMeans = dv.map { GaussianKL.closedForm(mean: c.vCoefficient * $0, referenceMean: 0, std: c.std) }.reduce(0, +)
        RL.expectClose(viaVelocity, 0.0105443878, rtol: 1e-8, "v-based")
        RL.expectClose(viaMeans, 0.0105443878, rtol: 1e-8, "μ-based")

        RL.expectClose(GaussianKL.k3(logRatio: -1.0 - -0.9), 0.0048374180, rtol: 1e-8, "k3")
    }

    @Test("k3 is non-negative, zero only at ln ρ = 0, and clamped")
    func k3Properties() {
        for l in stride(from: -30.0, through: 30.0, by: 0.7) { #expect(GaussianKL.k3(logRatio: l) >= 0) }
        #expect(GaussianKL.k3(logRatio: 0) == 0)
        #expect(GaussianKL.k3(logRatio: 50) == GaussianKL.k3(logRatio: 20))
        #expect(GaussianKL.k3Derivative(logRatio: 25) == 0)
    }
}
