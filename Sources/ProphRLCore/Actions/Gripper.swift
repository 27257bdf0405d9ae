/// Gripper openness normalisation: 0 is fully closed, 1 fully open.
///
/// Clamp rule (documented in docs/actions-and-metrics.md): finite values outside [0, 1] are
/// clamped to the nearest bound, because a policy head or a noisy width sensor may overshoot
/// slightly; NaN and infinities are rejected, since they signal a bug rather than an overshoot.
public enum Gripper {
    /// Closed.
    public static let closed = 0.0
    /// Fully open.
    public static let open = 1.0

    /// `value` clamped to [0, 1].
    /// - Throws: ``ValidationError/nonFinite(argument:index:value:)`` naming `argument` for NaN or ±∞.
    public static func normalized(_ value: Double, argument: String = "gripper") throws -> Double {
        try Validate.finite(value, argument)
        return min(max(value, closed), open)
    }

    /// Openness from a finger opening width: `width / maxWidth`, clamped to [0, 1].
    /// - Throws: ``ValidationError`` naming `width` if it is not finite, or `maxWidth` if it is not > 0.
    public static func openness(width: Double, maxWidth: Double) throws -> Double {
        try Validate.finite(width, "width")
        try Validate.positive(maxWidth, "maxWidth")
        return try normalized(width / maxWidth, argument: "width")
    }
}
