/// Integrates a chunk of predicted actions from an initial robot state (the real-robot protocol:
/// the policy sees one image plus the initial state, and the state is then advanced by
/// integrating the policy's own actions, not by re-reading the robot).
public struct ActionIntegrator: Sendable, Equatable {
    /// How the actions are read.
    public let semantics: ActionSemantics

    /// Creates an integrator for `semantics`.
    public init(semantics: ActionSemantics) {
        self.semantics = semantics
    }

    /// The CH target states reached after each action of `chunk`, starting from `initial`.
    ///
    /// The i-th state effector is driven by the i-th valid slot of the chunk; padded slots are
    /// ignored. Grippers are clamped to [0, 1]. Joint positions of the targets are `nil` (the
    /// integrator moves tool poses only).
    /// - Throws: ``ValidationError`` naming `initial` if its effector count differs from the
    ///   chunk's valid slots.
    public func integrate(_ chunk: ActionChunk, from initial: RobotState) throws -> [RobotState] {
        let slots = chunk.validity.indices.filter { chunk.validity[$0] }
        if slots.count != initial.effectors.count {
            throw ValidationError.shapeMismatch(argument: "initial",
                                                expected: "\(slots.count) effectors (valid slots of the chunk)",
                                                actual: "\(initial.effectors.count) effectors")
        }
        var current = initial.effectors
        var targets: [RobotState] = []
        targets.reserveCapacity(chunk.steps)
        for step in 0..<chunk.steps {
            for (i, slot) in slots.enumerated() {
                // The slot is valid and in range, so the action exists.
                guard let action = try chunk.action(step: step, effector: slot) else { continue }
                let pose = semantics.pose(after: current[i].pose, applying: action)
                current[i] = try EndEffectorState(pose: pose, gripper: action.gripper)
            }
            targets.append(try RobotState(effectors: current))
        }
        return targets
    }
}
