/// One 7-D action of one end effector: translation (x, y, z, metres), rotation as roll, pitch, yaw
/// (radians, `R = Rz(yaw)·Ry(pitch)·Rx(roll)`), and gripper openness (0 closed, 1 open).
///
/// What the six pose numbers mean depends on the ``ActionSemantics`` in use: a tool-frame delta,
/// an absolute servo target, or a difference of absolute positions and Euler angles.
public struct EndEffectorAction: Sendable, Equatable, Hashable {
    /// Number of values per action.
    public static let dimension = 7

    /// Translation along x (m).
    public let x: Double
    /// Translation along y (m).
    public let y: Double
    /// Translation along z (m).
    public let z: Double
    /// Roll (rad).
    public let roll: Double
    /// Pitch (rad).
    public let pitch: Double
    /// Yaw (rad).
    public let yaw: Double
    /// Gripper openness as commanded (not clamped here; integration clamps it, see ``Gripper``).
    public let gripper: Double

    /// Creates an action from named values.
    /// - Throws: ``ValidationError`` naming the first non-finite field.
    public init(x: Double, y: Double, z: Double, roll: Double, pitch: Double, yaw: Double, gripper: Double) throws {
        for (value, name) in [(x, "x"), (y, "y"), (z, "z"), (roll, "roll"), (pitch, "pitch"), (yaw, "yaw"),
                              (gripper, "gripper")] {
            try Validate.finite(value, name)
        }
        self.init(unchecked: [x, y, z, roll, pitch, yaw, gripper])
    }

    /// Creates an action from `[x, y, z, roll, pitch, yaw, gripper]`.
    /// - Throws: ``ValidationError`` naming `values` for a wrong count or non-finite values.
    public init(values: [Double]) throws {
        try Validate.count(values.count, equals: EndEffectorAction.dimension, "values")
        try Validate.finite(values, "values")
        self.init(unchecked: values)
    }

    /// Creates an action from 7 trusted values.
    init(unchecked v: [Double]) {
        x = v[0]; y = v[1]; z = v[2]; roll = v[3]; pitch = v[4]; yaw = v[5]; gripper = v[6]
    }

    /// Creates an action from a translation, roll-pitch-yaw angles and gripper (trusted, finite).
    init(translation t: Vector3, angles: (roll: Double, pitch: Double, yaw: Double), gripper: Double) {
        self.init(unchecked: [t.x, t.y, t.z, angles.roll, angles.pitch, angles.yaw, gripper])
    }

    /// The zero action (no motion) with the gripper at `gripper`.
    public static func zero(gripper: Double) throws -> EndEffectorAction {
        try EndEffectorAction(x: 0, y: 0, z: 0, roll: 0, pitch: 0, yaw: 0, gripper: gripper)
    }

    /// `[x, y, z, roll, pitch, yaw, gripper]`.
    public var values: [Double] { [x, y, z, roll, pitch, yaw, gripper] }

    /// `(x, y, z)`.
    public var translation: Vector3 { Vector3(x, y, z) }

    /// The rigid transform `(translation, Rz(yaw)·Ry(pitch)·Rx(roll))` of the six pose numbers.
    public var transform: Pose {
        Pose(uncheckedPosition: translation, rotation: Rotation(uncheckedRoll: roll, pitch: pitch, yaw: yaw))
    }
}
