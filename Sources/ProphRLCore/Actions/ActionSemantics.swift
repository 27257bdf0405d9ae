/// The three meanings an action's six pose numbers can have (the paper's three action semantics).
///
/// With poses ξ₀…ξ_T (tool in base frame), ξ = (p, R), and action a_t = (Δp, roll, pitch, yaw, g):
/// - ``localDelta``: a_t is the motion expressed in the previous tool frame,
///   `ξ_t = ξ_{t−1} ∘ Δξ_t`, `Δξ_t = ξ_{t−1}⁻¹ ∘ ξ_t`, i.e. `Δp = R_{t−1}ᵀ(p_t − p_{t−1})` and
///   `(roll, pitch, yaw) = rpy(R_{t−1}ᵀ R_t)` (world-model.md §5.1: a delta right-multiplies).
/// - ``servo``: a_t is the absolute target pose itself, `(p_t, rpy(R_t))`, passed to the robot's
///   servo command unchanged (UR `servoL` after conversion with ``Pose/urPose``).
/// - ``absoluteDifference``: a_t holds differences of consecutive absolute positions and Euler
///   angles in the base frame, `Δp = p_t − p_{t−1}`, `Δrpy = wrap(rpy(R_t) − rpy(R_{t−1}))`, each
///   angle difference wrapped to [−π, π) so a yaw crossing ±π is a small step.
///
/// The gripper entry of a_t is the openness g_t at the target pose, clamped to [0, 1].
public enum ActionSemantics: String, Sendable, CaseIterable, Hashable {
    /// Tool-frame delta: `ξ_t = ξ_{t−1} ∘ Δξ_t`.
    case localDelta
    /// Absolute servo target, passed through.
    case servo
    /// Difference of absolute positions and roll-pitch-yaw angles between consecutive poses.
    case absoluteDifference

    /// The action that moves `previous` to `next`, with gripper openness `gripper` (clamped).
    /// - Throws: ``ValidationError`` naming `gripper` if it is NaN or infinite.
    public func action(from previous: Pose, to next: Pose, gripper: Double) throws -> EndEffectorAction {
        let g = try Gripper.normalized(gripper)
        switch self {
        case .localDelta:
            let delta = previous.displacement(to: next)
            return EndEffectorAction(translation: delta.position, angles: delta.rotation.rpy, gripper: g)
        case .servo:
            return EndEffectorAction(translation: next.position, angles: next.rotation.rpy, gripper: g)
        case .absoluteDifference:
            let a = previous.rotation.rpy, b = next.rotation.rpy
            return EndEffectorAction(translation: next.position - previous.position,
                                     angles: (ActionSemantics.wrap(b.roll - a.roll),
                                              ActionSemantics.wrap(b.pitch - a.pitch),
                                              ActionSemantics.wrap(b.yaw - a.yaw)),
                                     gripper: g)
        }
    }

    /// The pose reached by applying `action` at `pose` (the inverse of ``action(from:to:gripper:)``).
    public func pose(after pose: Pose, applying action: EndEffectorAction) -> Pose {
        switch self {
        case .localDelta:
            return pose.composed(with: action.transform)
        case .servo:
            return action.transform
        case .absoluteDifference:
            let a = pose.rotation.rpy
            let rotation = Rotation(uncheckedRoll: a.roll + action.roll, pitch: a.pitch + action.pitch,
                                    yaw: a.yaw + action.yaw)
            return Pose(uncheckedPosition: pose.position + action.translation, rotation: rotation)
        }
    }

    /// The T actions between T + 1 consecutive poses; action t uses `grippers[t + 1]`, the openness
    /// at its target pose (`grippers[0]`, the initial openness, is only validated).
    /// - Throws: ``ValidationError`` naming `poses` if it is empty, or `grippers` if its count
    ///   differs from `poses.count` or a value is NaN or infinite.
    public func actions(from poses: [Pose], grippers: [Double]) throws -> [EndEffectorAction] {
        if poses.isEmpty { throw ValidationError.empty(argument: "poses") }
        try Validate.count(grippers.count, equals: poses.count, "grippers")
        try Validate.finite(grippers, "grippers")
        return try (1..<poses.count).map { t in
            try action(from: poses[t - 1], to: poses[t], gripper: grippers[t])
        }
    }

    /// The poses `[initial, ξ₁, …, ξ_T]` reached by applying the T actions in order from `initial`.
    /// - Throws: ``ValidationError`` naming `actions` if it is empty.
    public func poses(from actions: [EndEffectorAction], initial: Pose) throws -> [Pose] {
        if actions.isEmpty { throw ValidationError.empty(argument: "actions") }
        var poses = [initial]
        poses.reserveCapacity(actions.count + 1)
        for action in actions { poses.append(pose(after: poses[poses.count - 1], applying: action)) }
        return poses
    }

    /// `angle` wrapped to [−π, π).
    static func wrap(_ angle: Double) -> Double {
        let twoPi = 2 * Double.pi
        var wrapped = angle - twoPi * (angle / twoPi).rounded(.down)   // [0, 2π)
        if wrapped >= Double.pi { wrapped -= twoPi }
        return wrapped
    }
}
