import ProphRLCore
import Testing

@Suite("Flow-SDE steps, grids and log-probs (rl-math.md §2–4, T1, T1b, T2)")
struct FlowSDETests {
    /// RLinf's form of the mean, written independently: μ = â(1 − τ') + ẑ(τ' − σ_τ² δ/(2τ)).
    func rlinfMean(x: Double, v: Double, tau: Double, next: Double, sigmaTau: Double) -> Double {
        let aHat = x - tau * v, zHat = x + (1 - tau) * v
        return aHat * (1 - next) + zHat * (next - sigmaTau * sigmaTau * (tau - next) / (2 * tau))
    }

    @Test("T1: one Flow-SDE step at τ = 0.6 → 0.4, η = 0.7")
    func t1() throws {
        let c = try StepCoefficients(eta: 0.7, tau: 0.6, next: 0.4)
        RL.expectClose(c.sigmaTau, 0.8573214099741122, "σ_τ")
        RL.expectClose(c.std, 0.38340579025361615, "s")
        RL.expectClose(c.xCoefficient, 0.8775, "x-coefficient")
        RL.expectClose(c.vCoefficient, -0.249, "v-coefficient")
        let x = [0.5, -1.0, 2.0], v = [1.0, 0.5, -0.3], eps = [0.1, -0.2, 0.3]
        let mean = FlowSDE.mean(x: x, velocity: v, c)
        RL.expectClose(mean, [0.18975, -1.002, 1.8297], "μ")
        RL.expectClose(mean, (0..<3).map { rlinfMean(x: x[$0], v: v[$0], tau: 0.6, next: 0.4, sigmaTau: c.sigmaTau) },
                       rtol: 1e-12, "μ, RLinf form")
        let next = (0..<3).map { mean[$0] + c.std * eps[$0] }
        RL.expectClose(next, [0.228090579, -1.0786811581, 1.9447217371], "x'")
        let logProbs = FlowSDE.logProbs(of: next, mean: mean, std: c.std)
        RL.expectClose(logProbs, [0.0347228129, 0.0197228129, -0.0052771871], rtol: 1e-8, "ℓ")
        RL.expectClose(logProbs.reduce(0, +), 0.0491684387, rtol: 1e-8, "Σℓ")
        let ode = try StepCoefficients.ode(tau: 0.6, next: 0.4)
        RL.expectClose(FlowSDE.mean(x: x, velocity: v, ode), [0.3, -1.1, 2.06], "ODE step")
    }

    @Test("T1b: the first step substitutes τ_1 in σ_τ only; its std is η")
    func t1b() throws {
        let sde = try FlowSDE(grid: .uniform(steps: 4), eta: 0.5)
        let c = sde.coefficients[0]
        RL.expectClose(c.sigmaTau * c.sigmaTau, 1.0, "σ²")
        RL.expectClose(c.xCoefficient, 0.875, "x-coefficient")
        RL.expectClose(c.vCoefficient, -0.25, "v-coefficient = −δ")
        RL.expectClose(c.std, 0.5, "s = η")
        let step = try sde.step(x: [0.3, -0.7], velocity: [-0.4, 1.1], noise: [0.5, -1.0], at: 0)
        RL.expectClose(step.mean, [0.3625, -0.8875], "μ")
        RL.expectClose(step.next, [0.6125, -1.3875], "x'")
        RL.expectClose(step.logProbs, [-0.3507913526, -0.7257913526], rtol: 1e-9, "ℓ")
    }

    @Test("T2: uniform grid σ_τ and step stds; the SD3 reference grid")
    func t2() throws {
        let sde = try FlowSDE(grid: .uniform(steps: 4), eta: 0.5)
        RL.expectClose(sde.grid.taus, [1, 0.75, 0.5, 0.25, 0], "τ")
        RL.expectClose(sde.coefficients.map(\.sigmaTau), [1.0, 0.8660254038, 0.5, 0.2886751346], rtol: 1e-9, "σ_τ")
        RL.expectClose(sde.stds, [0.5, 0.4330127019, 0.25, 0.1443375673], rtol: 1e-9, "s_k")
        RL.expectClose(sde.variances, [0.25, 0.1875, 0.0625, 0.0208333333], rtol: 1e-8, "s_k²")

        let sd3 = try TimeGrid.sd3(steps: 10, shift: 3, trainingSteps: 1000)
        RL.expectClose(sd3.taus, [1, 0.9601293103, 0.9133489461, 0.8576923077, 0.790368272, 0.707278481,
                                  0.6021505376, 0.4648760331, 0.2780487805, 0.0089285714, 0], rtol: 1e-8, "SD3 τ")
        let sd3SDE = try FlowSDE(grid: sd3, eta: 0.7)
        RL.expectClose(sd3SDE.stds, [0.7, 0.7429641003, 0.536152046, 0.4458971335, 0.3917943014, 0.3527971122,
                                     0.3190701188, 0.2820067676, 0.2253604836, 0.00627809], rtol: 1e-6, "SD3 s")
    }

    @Test("Invariant 1: the first-step std is η on any grid", arguments: [1, 2, 4, 5, 10, 50])
    func firstStepStd(steps: Int) throws {
        for eta in [0.1, 0.5, 0.7, 1.3] {
            for grid in [try TimeGrid.uniform(steps: steps), try TimeGrid.shifted(steps: steps, shift: 3),
                         try TimeGrid.sd3(steps: steps, shift: 3)] where grid.steps >= 1 && grid.taus[1] < 1 {
                RL.expectClose(try FlowSDE(grid: grid, eta: eta).stds[0], eta, rtol: 1e-12, "s_0 at K=\(steps)")
            }
        }
    }

    @Test("Division-free mean equals the textbook σ_τ form and RLinf's form on random steps")
    func divisionFreeAgreesWithTextbook() throws {
        var rng = SeededGenerator(seed: 11)
        for _ in 0..<200 {
            let tau = 0.05 + 0.9 * rng.nextUniform(), next = tau * rng.nextUniform(), eta = 1.5 * rng.nextUniform()
            let c = try StepCoefficients(eta: eta, tau: tau, next: next)
            let x = rng.nextGaussian(), v = rng.nextGaussian(), delta = tau - next
            let sigma = eta * (tau / (1 - tau)).squareRoot()
            let textbook = x * (1 - sigma * sigma * delta / (2 * tau)) - v * delta * (1 + sigma * sigma * (1 - tau) / (2 * tau))
            RL.expectClose(FlowSDE.mean(x: [x], velocity: [v], c)[0], textbook, rtol: 1e-10, atol: 1e-12, "μ")
            RL.expectClose(FlowSDE.mean(x: [x], velocity: [v], c)[0],
                           rlinfMean(x: x, v: v, tau: tau, next: next, sigmaTau: sigma), rtol: 1e-10, atol: 1e-12, "μ RLinf")
            RL.expectClose(c.std, sigma * delta.squareRoot(), rtol: 1e-12, "s")
        }
    }

    @Test("Sampled steps have the stated mean and std (seeded Monte Carlo)")
    func samplingMoments() throws {
        let sde = try FlowSDE(grid: .uniform(steps: 4), eta: 0.5)
        var rng = SeededGenerator(seed: 5)
        let n = 20_000
        let noise = (0..<n).map { _ in rng.nextGaussian() }
        let step = try sde.step(x: [Double](repeating: 0.4, count: n), velocity: [Double](repeating: -0.3, count: n),
                                noise: noise, at: 2)
        let mean = step.next.reduce(0, +) / Double(n)
        let variance = step.next.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)
        #expect(abs(mean - step.mean[0]) < 4 * step.std / Double(n).squareRoot())
        #expect(abs(variance.squareRoot() / step.std - 1) < 0.03)
    }

    @Test("Bad input throws typed errors naming the argument")
    func errors() throws {
        #expect(throws: ValidationError.outOfRange(argument: "tau", expected: "in (0, 1]", actual: 0)) {
            try StepCoefficients(eta: 0.5, tau: 0, next: 0)
        }
        #expect(throws: ValidationError.self) { try TimeGrid.uniform(steps: 0) }
        #expect(throws: ValidationError.self) { try TimeGrid(taus: [1, 0.5, 0.6, 0]) }
        #expect(throws: ValidationError.self) { try FlowSDE(grid: .uniform(steps: 4), eta: -1) }
        let sde = try FlowSDE(grid: .uniform(steps: 4), eta: 0.5)
        #expect(throws: ValidationError.nonFinite(argument: "x", index: 1, value: .infinity)) {
            try sde.mean(x: [0, .infinity], velocity: [0, 0], at: 1)
        }
        #expect(throws: ValidationError.self) { try sde.mean(x: [0, 1], velocity: [0], at: 1) }
        #expect(throws: ValidationError.self) { try sde.step(x: [0], velocity: [0], noise: [0], at: 4) }
    }
}
