import RealModule

/// KL estimators between the current and the reference policy's step transitions (rl-math.md §5).
///
/// ```swift
/// let kl = GaussianKL.closedForm(mean: 0.2, referenceMean: 0.25, std: 0.3)   // 0.01388…
/// let k3 = GaussianKL.k3(logRatio: -1.0 - (-0.9))                             // 0.004837…
/// ```
public enum GaussianKL {
    /// The guard on chain log-ratios before `exp` (§1.3).
    public static let logRatioClamp = 20.0

    /// Closed-form `KL(N(μ, s²) ‖ N(μ_ref, s²)) = (μ − μ_ref)² / (2s²)` for one element and step.
    @inlinable
    public static func closedForm(mean: Double, referenceMean: Double, std s: Double) -> Double {
        let d = mean - referenceMean
        return d * d / (2 * s * s)
    }

    /// The same KL from a velocity difference at one `(x, τ)`: `(δ/2)·(σ_τ(1−τ)/(2τ) + 1/σ_τ)²·Δv²`.
    ///
    /// Valid for `0 < τ < 1` and `η > 0`; a cross-check of ``closedForm(mean:referenceMean:std:)``.
    /// - Throws: ``ValidationError`` outside that range.
    public static func fromVelocityDifference(_ dv: Double, coefficients c: StepCoefficients) throws -> Double {
        guard c.tau < 1, c.eta > 0 else {
            throw ValidationError.invalid(argument: "coefficients", reason: "velocity form needs 0 < tau < 1 and eta > 0")
        }
        let factor = c.sigmaTau * (1 - c.tau) / (2 * c.tau) + 1 / c.sigmaTau
        return c.delta / 2 * factor * factor * dv * dv
    }

    /// Schulman's k3 estimator `ρ − ln ρ − 1` on a chain log-ratio `ln ρ = Σ_k (ℓ_ref − ℓ_θ)`, clamped to ±20.
    @inlinable
    public static func k3(logRatio: Double) -> Double {
        let l = min(max(logRatio, -logRatioClamp), logRatioClamp)
        return Double.exp(l) - l - 1
    }

    /// `∂k3/∂(ln ρ) = ρ − 1` (0 where the clamp binds).
    @inlinable
    public static func k3Derivative(logRatio: Double) -> Double {
        if logRatio > logRatioClamp || logRatio < -logRatioClamp { return 0 }
        return Double.exp(logRatio) - 1
    }
}
