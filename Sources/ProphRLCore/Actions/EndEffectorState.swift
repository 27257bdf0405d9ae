/// The state of one end effector: its tool (TCP) pose in the base frame and its gripper openness.
public struct EndEffectorState: Sendable, Equatable, Hashable {
    /// Tool pose in the robot base frame.
    public let pose: Pose
    /// Gripper openness in [0, 1] (0 closed, 1 open), already clamped.
    public let gripper: Double

    /// Creates a state; the gripper is clamped to [0, 1] (see ``Gripper``).
    /// - Throws: ``ValidationError`` naming `gripper` if it is NaN or infinite.
    public init(pose: Pose, gripper: Double) throws {
        self.pose = pose
        self.gripper = try Gripper.normalized(gripper)
    }
}
