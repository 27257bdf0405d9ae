/// Composition of rigid transforms: `a ∘ b` applies `b` in the frame of `a` (the matrix product `Tₐ·T_b`).
infix operator ∘: MultiplicationPrecedence

/// A rigid transform (SE(3)): a position in metres and a rotation, mapping points of a child frame
/// (e.g. the tool) into a parent frame (e.g. the robot base): `p_parent = R·p_child + t`.
///
/// UR's TCP pose `[x, y, z, rx, ry, rz]` (position + rotation vector, base frame) converts with
/// ``init(urPose:)`` and ``urPose``.
public struct Pose: Sendable, Equatable, Hashable {
    /// Translation `t` (metres).
    public let position: Vector3
    /// Orientation `R`.
    public let rotation: Rotation

    /// The identity transform.
    public static let identity = Pose(uncheckedPosition: .zero, rotation: .identity)

    /// Creates a pose from trusted parts.
    @usableFromInline
    init(uncheckedPosition position: Vector3, rotation: Rotation) {
        self.position = position
        self.rotation = rotation
    }

    /// Creates a pose from a position and a rotation.
    /// - Throws: ``ValidationError`` naming `position` if a coordinate is not finite.
    public init(position: Vector3, rotation: Rotation) throws {
        try Validate.finite(position.array, "position")
        self.init(uncheckedPosition: position, rotation: rotation)
    }

    /// Creates a pose from UR's 6-vector `[x, y, z, rx, ry, rz]` (metres, rotation vector in radians).
    /// - Throws: ``ValidationError`` naming `urPose` for a wrong count or non-finite values.
    public init(urPose: [Double]) throws {
        try Validate.count(urPose.count, equals: 6, "urPose")
        try Validate.finite(urPose, "urPose")
        self.init(uncheckedPosition: Vector3(urPose[0], urPose[1], urPose[2]),
                  rotation: Rotation(uncheckedRotationVector: Vector3(urPose[3], urPose[4], urPose[5])))
    }

    /// Creates a pose from `[x, y, z, roll, pitch, yaw]` with `R = Rz(yaw)·Ry(pitch)·Rx(roll)`.
    /// - Throws: ``ValidationError`` naming `xyzRPY` for a wrong count or non-finite values.
    public init(xyzRPY: [Double]) throws {
        try Validate.count(xyzRPY.count, equals: 6, "xyzRPY")
        try Validate.finite(xyzRPY, "xyzRPY")
        self.init(uncheckedPosition: Vector3(xyzRPY[0], xyzRPY[1], xyzRPY[2]),
                  rotation: Rotation(uncheckedRoll: xyzRPY[3], pitch: xyzRPY[4], yaw: xyzRPY[5]))
    }

    /// UR's 6-vector `[x, y, z, rx, ry, rz]` (rotation-vector angle in [0, π]).
    public var urPose: [Double] {
        let v = rotation.rotationVector
        return [position.x, position.y, position.z, v.x, v.y, v.z]
    }

    /// `[x, y, z, roll, pitch, yaw]` (see ``Rotation/rpy`` for the gimbal-lock choice).
    public var xyzRPY: [Double] {
        let angles = rotation.rpy
        return [position.x, position.y, position.z, angles.roll, angles.pitch, angles.yaw]
    }

    /// The composition `self ∘ other`: `other` expressed in `self`'s frame (`T_self · T_other`).
    public func composed(with other: Pose) -> Pose {
        Pose(uncheckedPosition: rotation.apply(other.position) + position,
             rotation: rotation.multiplying(other.rotation))
    }

    /// `a ∘ b` = `a.composed(with: b)`.
    public static func ∘ (a: Pose, b: Pose) -> Pose { a.composed(with: b) }

    /// The inverse transform: `self ∘ self.inverse = identity`.
    public var inverse: Pose {
        let rt = rotation.transposed
        return Pose(uncheckedPosition: -rt.apply(position), rotation: rt)
    }

    /// The transform taking `self` to `other` in `self`'s frame: `self⁻¹ ∘ other`.
    public func displacement(to other: Pose) -> Pose { inverse.composed(with: other) }

    /// The point `R·p + t`.
    public func apply(_ point: Vector3) -> Vector3 { rotation.apply(point) + position }

    /// The larger of the largest position-coordinate difference (metres) and the largest rotation
    /// matrix-entry difference to `other` (a distance for tests and tolerances).
    public func maxAbsDifference(_ other: Pose) -> Double {
        let d = position - other.position
        return max(abs(d.x), abs(d.y), abs(d.z), rotation.maxAbsDifference(other.rotation))
    }
}
