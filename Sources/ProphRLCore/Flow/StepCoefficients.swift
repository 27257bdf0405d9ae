import RealModule

/// The coefficients of one Flow-SDE step `x' = a·x + b·v + s·ε` in the division-free form (rl-math.md §3.3).
///
/// With `τ̃ = τ_1` when `τ = 1` (the first-step substitution of §3.2) and `τ̃ = τ` otherwise:
///
/// ```
/// a  = 1 − η² δ / (2 (1 − τ̃))
/// b  = −δ (1 + η² (1 − τ) / (2 (1 − τ̃)))
/// s² = η² τ δ / (1 − τ̃)
/// ```
///
/// ```swift
/// let c = try StepCoefficients(eta: 0.7, tau: 0.6, next: 0.4)   // a = 0.8775, b = -0.249
/// ```
public struct StepCoefficients: Sendable, Equatable, Hashable {
    /// Current time τ.
    public let tau: Double
    /// Next time τ'.
    public let next: Double
    /// Step size δ = τ − τ'.
    public let delta: Double
    /// Noise level η.
    public let eta: Double
    /// The coefficient of `x` in the mean.
    public let xCoefficient: Double
    /// The coefficient of `v` in the mean.
    public let vCoefficient: Double
    /// The step variance `s²`.
    public let variance: Double

    /// The step std `s` (σ_std in the layout tables).
    public var std: Double { variance.squareRoot() }

    /// `σ_τ = η·sqrt(τ / (1 − τ̃))`, the SDE noise scale at the current time (after the τ = 1 substitution).
    public let sigmaTau: Double

    /// Coefficients of the step `τ → next` at noise level `eta`.
    /// - Parameter firstStepNext: the grid's second time τ_1, used only when `tau == 1`; defaults to `next`.
    /// - Throws: ``ValidationError`` if `tau` is not in (0, 1], `next` not in [0, tau), `eta` negative or
    ///   non-finite, or the substituted `τ̃` equals 1.
    public init(eta: Double, tau: Double, next: Double, firstStepNext: Double? = nil) throws {
        try Validate.finite(eta, "eta")
        guard eta >= 0 else { throw ValidationError.outOfRange(argument: "eta", expected: ">= 0", actual: eta) }
        try Validate.finite(tau, "tau")
        // A current time of 0 never occurs: the loop stops at τ_{K-1} > 0 (§3.3).
        guard tau > 0, tau <= 1 else {
            throw ValidationError.outOfRange(argument: "tau", expected: "in (0, 1]", actual: tau)
        }
        try Validate.finite(next, "next")
        guard next >= 0, next < tau else {
            throw ValidationError.outOfRange(argument: "next", expected: "in [0, \(tau))", actual: next)
        }
        let tauTilde = tau == 1 ? (firstStepNext ?? next) : tau
        guard tauTilde < 1 else {
            throw ValidationError.outOfRange(argument: "firstStepNext", expected: "< 1", actual: tauTilde)
        }
        let delta = tau - next
        let oneMinusTilde = 1 - tauTilde
        let eta2 = eta * eta
        self.tau = tau
        self.next = next
        self.delta = delta
        self.eta = eta
        xCoefficient = 1 - eta2 * delta / (2 * oneMinusTilde)
        vCoefficient = -delta * (1 + eta2 * (1 - tau) / (2 * oneMinusTilde))
        variance = eta2 * tau * delta / oneMinusTilde
        sigmaTau = eta * (tau / oneMinusTilde).squareRoot()
    }

    /// The deterministic (ODE) step `x' = x − δ·v` as coefficients: a = 1, b = −δ, s = 0.
    public static func ode(tau: Double, next: Double) throws -> StepCoefficients {
        try StepCoefficients(eta: 0, tau: tau, next: next)
    }
}
