/// The PPO surrogate `f_clip(r, A) = min(r·A, clip(r, 1−ε, 1+ε)·A)` and its derivative in `r`.
///
/// ```swift
/// ClippedSurrogate.value(ratio: 1.3498588076, advantage: 1.5, epsilon: 0.2)   // 1.8 (clipped)
/// ```
public enum ClippedSurrogate {
    /// The surrogate value, its derivative `∂f/∂r`, and whether the clipped branch was taken.
    ///
    /// On the clipped branch the derivative is 0. At a tie (`r` exactly on a bound) the unclipped branch is
    /// taken, as both give the same value.
    @inlinable
    public static func evaluate(ratio r: Double, advantage a: Double,
                                epsilon: Double) -> (value: Double, derivative: Double, clipped: Bool) {
        let unclipped = r * a
        let clippedRatio = min(max(r, 1 - epsilon), 1 + epsilon)
        let clipped = clippedRatio * a
        if clipped < unclipped { return (clipped, 0, true) }
        return (unclipped, a, false)
    }

    /// The surrogate value alone.
    @inlinable
    public static func value(ratio: Double, advantage: Double, epsilon: Double) -> Double {
        evaluate(ratio: ratio, advantage: advantage, epsilon: epsilon).value
    }
}
