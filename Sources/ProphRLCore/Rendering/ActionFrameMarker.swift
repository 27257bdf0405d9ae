/// One end effector to draw in an action frame: its tool (TCP) pose in the world frame and gripper openness.
public struct ActionFrameMarker: Sendable, Equatable {
    /// T_world←tool.
    public let toolPose: Pose
    /// Gripper openness in [0, 1] (0 closed, 1 fully open).
    public let openness: Double

    /// Creates a marker.
    /// - Throws: ``ValidationError`` naming `openness` if it is outside [0, 1] or NaN.
    public init(toolPose: Pose, openness: Double) throws {
        guard openness >= 0, openness <= 1 else {
            throw ValidationError.outOfRange(argument: "openness", expected: "in [0, 1]", actual: openness)
        }
        self.toolPose = toolPose
        self.openness = openness
    }
}
