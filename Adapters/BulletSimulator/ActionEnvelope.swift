import ProphRLCore

/// The safe envelope of Cartesian commands: a TCP workspace box and per-step translation and rotation
/// limits. Commands outside it are clipped and counted, never rejected.
public struct ActionEnvelope: Sendable, Equatable {
    /// Lower corner of the TCP workspace box (m, base frame).
    public var lower: Vector3
    /// Upper corner of the TCP workspace box (m, base frame).
    public var upper: Vector3
    /// Largest translation per control step along each axis (m).
    public var maxTranslation: Double
    /// Largest Euler-angle change per control step (rad).
    public var maxRotation: Double

    /// The default envelope: the table region in front of the arm, 5 cm and 0.3 rad per step.
    public static let standard = ActionEnvelope(lower: Vector3(-1.0, -0.55, 0.015), upper: Vector3(-0.35, 0.45, 0.6),
                                                maxTranslation: 0.05, maxRotation: 0.3)

    /// Creates an envelope.
    public init(lower: Vector3, upper: Vector3, maxTranslation: Double, maxRotation: Double) {
        self.lower = lower
        self.upper = upper
        self.maxTranslation = maxTranslation
        self.maxRotation = maxRotation
    }

    /// The action with each pose entry clipped to the per-step limits and the gripper to [0, 1], and how many
    /// entries were clipped.
    public func clip(_ values: [Double]) -> (values: [Double], clipped: Int) {
        var out = values
        var clipped = 0
        for i in 0..<6 {
            let limit = i < 3 ? maxTranslation : maxRotation
            let v = min(max(out[i], -limit), limit)
            if v != out[i] { clipped += 1; out[i] = v }
        }
        let g = min(max(out[6], 0), 1)
        if g != out[6] { clipped += 1; out[6] = g }
        return (out, clipped)
    }

    /// `position` clamped into the workspace box, and whether it had to be.
    public func clamp(_ position: Vector3) -> (Vector3, Bool) {
        let c = Vector3(min(max(position.x, lower.x), upper.x), min(max(position.y, lower.y), upper.y),
                        min(max(position.z, lower.z), upper.z))
        return (c, c != position)
    }
}
