import Foundation
import ProphRLCore

/// The Cosmos rectified-flow sampler on the Karras schedule (world-model.md §7): x₀-form Euler for the first
/// step, then the second-order multistep ("2-AB") update or Euler throughout; N + 1 network evaluations.
public struct KarrasSampler: Sendable, Equatable {
    /// Update rule after the first step.
    public enum Rule: String, Sendable, Codable, CaseIterable {
        /// Second-order multistep (default; no extra evaluations).
        case multistep
        /// x₀-form Euler for every step.
        case euler
    }

    /// Number of steps N.
    public var steps: Int
    /// Update rule.
    public var rule: Rule
    /// Largest σ.
    public var sigmaMax: Double
    /// Smallest σ.
    public var sigmaMin: Double
    /// Karras ρ.
    public var rho: Double

    /// Creates a sampler.
    /// - Throws: ``ValidationError`` naming `steps` if below 1 or `sigmaMin` unless 0 < σ_min < σ_max.
    public init(steps: Int = 35, rule: Rule = .multistep, sigmaMax: Double = 80, sigmaMin: Double = 0.002, rho: Double = 7) throws {
        try Validate.atLeastOne(steps, "steps")
        guard sigmaMin > 0, sigmaMin < sigmaMax else {
            throw ValidationError.invalid(argument: "sigmaMin", reason: "expected 0 < sigmaMin < sigmaMax (\(sigmaMax)), got \(sigmaMin)")
        }
        self.steps = steps
        self.rule = rule
        self.sigmaMax = sigmaMax
        self.sigmaMin = sigmaMin
        self.rho = rho
    }

    /// The faithful setting: 35 steps, multistep.
    public static let faithful = KarrasSampler(validSteps: 35)
    /// The fast setting for RL rollouts: 10 steps, multistep.
    public static let fast = KarrasSampler(validSteps: 10)

    private init(validSteps: Int) {
        steps = validSteps
        rule = .multistep
        sigmaMax = 80
        sigmaMin = 0.002
        rho = 7
    }

    /// `σ_i = (σ_max^{1/ρ} + (i/N)(σ_min^{1/ρ} − σ_max^{1/ρ}))^ρ`, i = 0…N.
    public var sigmas: [Double] {
        let a = pow(sigmaMax, 1 / rho), b = pow(sigmaMin, 1 / rho)
        return (0...steps).map { pow(a + Double($0) / Double(steps) * (b - a), rho) }
    }

    /// Integrates from `x = σ_max·ε` (`noise` is ε) and returns the final x̂₀.
    /// - Parameter denoise: `x̂₀(x, σ)` in σ space (frame replacement is the caller's job).
    public func sample(noise: [Float], denoise: ([Float], Double) throws -> [Float]) throws -> [Float] {
        let sigma = sigmas
        var x = noise.map { Float(sigma[0]) * $0 }
        var previous: [Float]?
        for i in 0..<steps {
            let x0 = try denoise(x, sigma[i])
            let ratio = Float(sigma[i + 1] / sigma[i])
            if i == 0 || rule == .euler || previous == nil {
                for j in x.indices { x[j] = ratio * x[j] + (1 - ratio) * x0[j] }
            } else if let previous {
                let lambda = { (s: Double) in -log(s) }
                let h = lambda(sigma[i + 1]) - lambda(sigma[i])
                let c2 = (lambda(sigma[i - 1]) - lambda(sigma[i])) / h
                let phi1 = { (z: Double) in (exp(z) - 1) / z }
                let phi2 = { (z: Double) in (phi1(z) - 1) / z }
                let b2 = phi2(-h) / c2, b1 = phi1(-h) - b2
                for j in x.indices {
                    x[j] = ratio * x[j] + Float(h) * (Float(b1) * x0[j] + Float(b2) * previous[j])
                }
            }
            previous = x0
        }
        return try denoise(x, sigma[steps])
    }
}
