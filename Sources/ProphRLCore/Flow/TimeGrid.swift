import RealModule

/// A denoising time grid `τ_0 > τ_1 > … > τ_K = 0` with τ = 1 as pure noise (rl-math.md §1.1, §2).
///
/// ```swift
/// let grid = try TimeGrid.uniform(steps: 4)      // [1, 0.75, 0.5, 0.25, 0]
/// let (tau, next, delta) = grid.interval(0)     // (1, 0.75, 0.25)
/// ```
public struct TimeGrid: Sendable, Equatable, Hashable {
    /// The K + 1 grid times, strictly decreasing, ending at 0.
    public let taus: [Double]

    /// Creates a grid from explicit times.
    /// - Throws: ``ValidationError`` unless there are at least two finite times in `(0, 1]`, strictly
    ///   decreasing, the last being exactly 0.
    public init(taus: [Double]) throws {
        guard taus.count >= 2 else {
            throw ValidationError.shapeMismatch(argument: "taus", expected: "at least 2 times (K >= 1)",
                                                actual: "\(taus.count) times")
        }
        try Validate.finite(taus, "taus")
        guard taus[0] <= 1, taus[0] > 0 else {
            throw ValidationError.outOfRange(argument: "taus[0]", expected: "in (0, 1]", actual: taus[0])
        }
        guard taus[taus.count - 1] == 0 else {
            throw ValidationError.outOfRange(argument: "taus[K]", expected: "exactly 0", actual: taus[taus.count - 1])
        }
        for k in 1..<taus.count where !(taus[k] < taus[k - 1]) {
            throw ValidationError.invalid(argument: "taus",
                                          reason: "must be strictly decreasing, but taus[\(k)] = \(taus[k]) >= taus[\(k - 1)] = \(taus[k - 1])")
        }
        self.taus = taus
    }

    /// The number of denoising steps K.
    public var steps: Int { taus.count - 1 }

    /// Step `k` as (τ_k, τ_{k+1}, δ_k = τ_k − τ_{k+1}); `k` must lie in `0..<steps`.
    public func interval(_ k: Int) -> (tau: Double, next: Double, delta: Double) {
        (taus[k], taus[k + 1], taus[k] - taus[k + 1])
    }

    /// The uniform grid `τ_k = 1 − k/K` (project default, = RLinf's `linspace(1, 1/K, K)` plus 0).
    /// - Throws: ``ValidationError`` if `steps < 1`.
    public static func uniform(steps: Int) throws -> TimeGrid {
        try Validate.atLeastOne(steps, "steps")
        return try TimeGrid(taus: (0...steps).map { k in k == steps ? 0 : 1 - Double(k) / Double(steps) })
    }

    /// The uniform grid warped by the SD3 time shift `τ' = shift·τ / (1 + (shift − 1)·τ)`.
    ///
    /// `shift > 1` spends more steps near the noise end. `shift = 1` is the uniform grid.
    /// - Throws: ``ValidationError`` if `steps < 1` or `shift` is not positive.
    public static func shifted(steps: Int, shift: Double) throws -> TimeGrid {
        try Validate.positive(shift, "shift")
        let base = try uniform(steps: steps)
        return try TimeGrid(taus: base.taus.map { Self.shift($0, by: shift) })
    }

    /// The grid of diffusers' `FlowMatchEulerDiscreteScheduler` as Flow-GRPO uses it for SD3: the
    /// training sigmas are shifted, their range is linearly resampled to `steps` points and shifted again.
    ///
    /// Reproduces the reference grid of rl-math.md T2 (`steps: 10, shift: 3, trainingSteps: 1000`).
    /// - Throws: ``ValidationError`` if a count is below 1 or `shift` is not positive.
    public static func sd3(steps: Int, shift: Double, trainingSteps: Int = 1000) throws -> TimeGrid {
        try Validate.atLeastOne(steps, "steps")
        try Validate.atLeastOne(trainingSteps, "trainingSteps")
        try Validate.positive(shift, "shift")
        let sigmaMin = Self.shift(1 / Double(trainingSteps), by: shift)
        var taus = (0..<steps).map { i -> Double in
            let t = steps == 1 ? 1 : 1 - Double(i) * (1 - sigmaMin) / Double(steps - 1)
            return Self.shift(t, by: shift)
        }
        taus.append(0)
        return try TimeGrid(taus: taus)
    }

    private static func shift(_ tau: Double, by shift: Double) -> Double {
        shift * tau / (1 + (shift - 1) * tau)
    }
}
