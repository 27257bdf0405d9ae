import RealModule

/// The Flow-SDE sampler of a flow-matching action head on a fixed time grid (rl-math.md §3–4).
///
/// It turns a velocity into the Gaussian transition `x_{k+1} ~ N(μ, s²)` of step `k`, samples it and
/// scores it with a per-element log-density (constants kept):
///
/// ```swift
/// let sde = try FlowSDE(grid: .uniform(steps: 4), eta: 0.5)
/// var rng = SeededGenerator(seed: 7)
/// let noise = (0..<7).map { _ in rng.nextGaussian() }
/// let step = try sde.step(x: x, velocity: v, noise: noise, at: 0)   // step.next, step.mean, step.logProbs
/// ```
public struct FlowSDE: Sendable, Equatable {
    /// The denoising grid.
    public let grid: TimeGrid
    /// The noise level η (project default 0.5).
    public let eta: Double
    /// The coefficients of every step, index `k`.
    public let coefficients: [StepCoefficients]

    /// The result of one sampled step.
    public struct Step: Sendable, Equatable {
        /// The sample `x_{k+1} = μ + s·ε`.
        public var next: [Double]
        /// The transition mean `μ`.
        public var mean: [Double]
        /// The per-element Gaussian log-densities of `next`.
        public var logProbs: [Double]
        /// The step std `s`.
        public var std: Double
    }

    /// Creates a sampler.
    /// - Throws: ``ValidationError`` if `eta` is negative or not finite.
    public init(grid: TimeGrid, eta: Double = 0.5) throws {
        self.grid = grid
        self.eta = eta
        let firstNext = grid.taus[1]
        coefficients = try (0..<grid.steps).map { k in
            let (tau, next, _) = grid.interval(k)
            return try StepCoefficients(eta: eta, tau: tau, next: next, firstStepNext: firstNext)
        }
    }

    /// The step stds `s_k`, one per step; the first equals η on every grid starting at τ = 1.
    public var stds: [Double] { coefficients.map(\.std) }

    /// The step variances `s_k²`, one per step (the input of FlowScale).
    public var variances: [Double] { coefficients.map(\.variance) }

    /// The transition mean `μ = a·x + b·v` of step `k`.
    /// - Throws: ``ValidationError`` on a bad step index, mismatched lengths or non-finite input.
    public func mean(x: [Double], velocity: [Double], at k: Int) throws -> [Double] {
        let c = try coefficientsChecked(k)
        try Validate.finite(x, "x")
        try Validate.count(velocity.count, equals: x.count, "velocity")
        try Validate.finite(velocity, "velocity")
        return Self.mean(x: x, velocity: velocity, c)
    }

    /// Samples step `k` with the given standard-normal `noise` and scores the sample.
    /// - Throws: ``ValidationError`` on a bad step index, mismatched lengths or non-finite input.
    public func step(x: [Double], velocity: [Double], noise: [Double], at k: Int) throws -> Step {
        let mean = try self.mean(x: x, velocity: velocity, at: k)
        try Validate.count(noise.count, equals: x.count, "noise")
        try Validate.finite(noise, "noise")
        let s = coefficients[k].std
        var next = mean
        for i in next.indices { next[i] += s * noise[i] }
        return Step(next: next, mean: mean, logProbs: Self.logProbs(of: next, mean: mean, std: s), std: s)
    }

    /// The deterministic ODE step `x − δ·v` of step `k` (evaluation; no log-prob).
    /// - Throws: ``ValidationError`` on a bad step index, mismatched lengths or non-finite input.
    public func odeStep(x: [Double], velocity: [Double], at k: Int) throws -> [Double] {
        _ = try coefficientsChecked(k)
        try Validate.count(velocity.count, equals: x.count, "velocity")
        try Validate.finite(x, "x")
        try Validate.finite(velocity, "velocity")
        let delta = grid.interval(k).delta
        return zip(x, velocity).map { $0 - delta * $1 }
    }

    /// The mean `a·x + b·v` for given coefficients (no validation; the hot path of rollouts).
    public static func mean(x: [Double], velocity: [Double], _ c: StepCoefficients) -> [Double] {
        var mean = [Double](repeating: 0, count: x.count)
        for i in x.indices { mean[i] = c.xCoefficient * x[i] + c.vCoefficient * velocity[i] }
        return mean
    }

    /// `ln √(2π)`, the constant of every Gaussian log-density.
    public static let halfLogTwoPi = 0.5 * Double.log(2 * Double.pi)

    /// Per-element log-densities `−(x − μ)²/(2s²) − ln s − ½ ln 2π` (§4; no reduction over elements).
    public static func logProbs(of sample: [Double], mean: [Double], std s: Double) -> [Double] {
        let logS = Double.log(s)
        let inverseTwoVariance = 1 / (2 * s * s)
        var out = [Double](repeating: 0, count: sample.count)
        for i in sample.indices {
            let r = sample[i] - mean[i]
            out[i] = -r * r * inverseTwoVariance - logS - halfLogTwoPi
        }
        return out
    }

    /// The per-element log-density of one scalar.
    @inlinable
    public static func logProb(of sample: Double, mean: Double, std s: Double) -> Double {
        let r = sample - mean
        return -r * r / (2 * s * s) - Double.log(s) - 0.5 * Double.log(2 * Double.pi)
    }

    /// `∂ℓ/∂μ = (x − μ)/s²`: how a log-density moves with its mean (chains the objective to the head).
    @inlinable
    public static func logProbMeanDerivative(of sample: Double, mean: Double, std s: Double) -> Double {
        (sample - mean) / (s * s)
    }

    private func coefficientsChecked(_ k: Int) throws -> StepCoefficients {
        guard k >= 0, k < coefficients.count else {
            throw ValidationError.outOfRange(argument: "k", expected: "in 0..<\(coefficients.count)", actual: Double(k))
        }
        return coefficients[k]
    }
}
