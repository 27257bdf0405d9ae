/// The proprioceptive state of a robot with one or more end effectors.
public struct RobotState: Sendable, Equatable, Hashable {
    /// One state per physical end effector, in the order of the valid slots of an ``ActionChunk``.
    public let effectors: [EndEffectorState]
    /// Joint positions (radians) when known; `nil` for states predicted by integrating actions,
    /// which move tool poses and leave inverse kinematics to the robot.
    public let jointPositions: [Double]?

    /// Creates a state.
    /// - Throws: ``ValidationError`` naming `effectors` if it is empty, or `jointPositions` if a
    ///   value is not finite.
    public init(effectors: [EndEffectorState], jointPositions: [Double]? = nil) throws {
        if effectors.isEmpty { throw ValidationError.empty(argument: "effectors") }
        if let jointPositions { try Validate.finite(jointPositions, "jointPositions") }
        self.effectors = effectors
        self.jointPositions = jointPositions
    }
}
