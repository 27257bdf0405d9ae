import RealModule

/// A 3-D rotation as a 3×3 orthonormal matrix of Doubles (row-major, `r[row][column]`), acting on
/// column vectors: `v' = R·v`.
///
/// Conventions (see docs/actions-and-metrics.md):
/// - Roll-pitch-yaw: `R = Rz(yaw)·Ry(pitch)·Rx(roll)`, i.e. extrinsic X-Y-Z (roll about the fixed x
///   axis first) = intrinsic Z-Y'-X''; the ROS `rpy` and UR convention.
/// - Rotation vectors (UR's TCP pose `rx, ry, rz`): axis × angle in radians, angle in [0, π].
public struct Rotation: Sendable, Equatable, Hashable {
    /// Row 0.
    public let r00: Double, r01: Double, r02: Double
    /// Row 1.
    public let r10: Double, r11: Double, r12: Double
    /// Row 2.
    public let r20: Double, r21: Double, r22: Double

    /// Below this cos(pitch) the RPY extraction treats the rotation as gimbal-locked and sets yaw = 0.
    /// It is tiny on purpose: forcing yaw = 0 costs a reconstruction error of about cos(pitch)·|yaw|.
    public static let gimbalLockThreshold = 1e-14

    /// Creates a rotation from trusted, already orthonormal entries (internal compositions).
    @usableFromInline
    init(unchecked r00: Double, _ r01: Double, _ r02: Double,
         _ r10: Double, _ r11: Double, _ r12: Double,
         _ r20: Double, _ r21: Double, _ r22: Double) {
        self.r00 = r00; self.r01 = r01; self.r02 = r02
        self.r10 = r10; self.r11 = r11; self.r12 = r12
        self.r20 = r20; self.r21 = r21; self.r22 = r22
    }

    /// The identity rotation.
    public static let identity = Rotation(unchecked: 1, 0, 0, 0, 1, 0, 0, 0, 1)

    /// Creates a rotation from 9 row-major entries, checking it is a proper rotation.
    ///
    /// The matrix must satisfy `max|RᵀR − I| ≤ tolerance` and `det R > 0`; it is then projected
    /// exactly onto SO(3) through its unit quaternion, so small input drift does not accumulate.
    /// - Throws: ``ValidationError`` naming `rowMajor` for a wrong count, non-finite entries, a
    ///   non-orthonormal matrix or a reflection.
    public init(rowMajor m: [Double], tolerance: Double = 1e-6) throws {
        try Validate.count(m.count, equals: 9, "rowMajor")
        try Validate.finite(m, "rowMajor")
        try Validate.positive(tolerance, "tolerance")
        let raw = Rotation(unchecked: m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8])
        let gram = raw.transposed.multiplying(raw)
        let deviation = zip(gram.rowMajor, Rotation.identity.rowMajor).map { abs($0 - $1) }.max() ?? 0
        if deviation > tolerance {
            throw ValidationError.outOfRange(argument: "rowMajor",
                                             expected: "orthonormal matrix (max |RᵀR − I| ≤ \(tolerance))",
                                             actual: deviation)
        }
        let det = raw.determinant
        if det <= 0 {
            throw ValidationError.outOfRange(argument: "rowMajor", expected: "determinant +1 (a proper rotation)",
                                             actual: det)
        }
        self = Quaternion(projecting: raw).rotation
    }

    /// Creates `Rz(yaw)·Ry(pitch)·Rx(roll)` (angles in radians).
    /// - Throws: ``ValidationError`` if an angle is not finite.
    public init(roll: Double, pitch: Double, yaw: Double) throws {
        try Validate.finite(roll, "roll")
        try Validate.finite(pitch, "pitch")
        try Validate.finite(yaw, "yaw")
        self.init(uncheckedRoll: roll, pitch: pitch, yaw: yaw)
    }

    /// `Rz(yaw)·Ry(pitch)·Rx(roll)` without validation.
    @usableFromInline
    init(uncheckedRoll roll: Double, pitch: Double, yaw: Double) {
        let (sr, cr) = (Double.sin(roll), Double.cos(roll))
        let (sp, cp) = (Double.sin(pitch), Double.cos(pitch))
        let (sy, cy) = (Double.sin(yaw), Double.cos(yaw))
        self.init(unchecked: cy * cp, cy * sp * sr - sy * cr, cy * sp * cr + sy * sr,
                  sy * cp, sy * sp * sr + cy * cr, sy * sp * cr - cy * sr,
                  -sp, cp * sr, cp * cr)
    }

    /// Creates the rotation of a rotation vector (axis × angle, radians) by Rodrigues' formula.
    ///
    /// Uses Taylor series of `sin θ/θ` and `(1 − cos θ)/θ²` below θ = 1e-4, so it is exact to
    /// rounding near zero; any angle is accepted (a vector of norm > π wraps around).
    /// - Throws: ``ValidationError`` if a component is not finite.
    public init(rotationVector v: Vector3) throws {
        try Validate.finite(v.array, "rotationVector")
        self.init(uncheckedRotationVector: v)
    }

    /// Rodrigues without validation.
    @usableFromInline
    init(uncheckedRotationVector v: Vector3) {
        let theta2 = v.dot(v)
        let theta = theta2.squareRoot()
        let a: Double, b: Double   // sin θ / θ and (1 − cos θ) / θ²
        if theta < 1e-4 {
            a = 1 - theta2 / 6 + theta2 * theta2 / 120
            b = 0.5 - theta2 / 24 + theta2 * theta2 / 720
        } else {
            a = Double.sin(theta) / theta
            // 2 sin²(θ/2) avoids the cancellation in 1 − cos θ for small θ.
            let s = Double.sin(theta / 2)
            b = 2 * s * s / theta2
        }
        let (x, y, z) = (v.x, v.y, v.z)
        // R = I + a·K + b·K², K = [v]×, K² = v vᵀ − θ² I.
        self.init(unchecked: 1 + b * (x * x - theta2), -a * z + b * x * y, a * y + b * x * z,
                  a * z + b * x * y, 1 + b * (y * y - theta2), -a * x + b * y * z,
                  -a * y + b * x * z, a * x + b * y * z, 1 + b * (z * z - theta2))
    }

    /// Rotation by `angle` radians about the x axis.
    public static func aboutX(_ angle: Double) -> Rotation {
        Rotation(uncheckedRoll: angle, pitch: 0, yaw: 0)
    }

    /// Rotation by `angle` radians about the y axis.
    public static func aboutY(_ angle: Double) -> Rotation {
        Rotation(uncheckedRoll: 0, pitch: angle, yaw: 0)
    }

    /// Rotation by `angle` radians about the z axis.
    public static func aboutZ(_ angle: Double) -> Rotation {
        Rotation(uncheckedRoll: 0, pitch: 0, yaw: angle)
    }

    // MARK: - Views

    /// The 9 entries, row by row.
    public var rowMajor: [Double] { [r00, r01, r02, r10, r11, r12, r20, r21, r22] }

    /// The entry at `row`, `column` (0-based).
    public subscript(row: Int, column: Int) -> Double { rowMajor[row * 3 + column] }

    /// Determinant (+1 for a rotation, up to rounding).
    public var determinant: Double {
        r00 * (r11 * r22 - r12 * r21) - r01 * (r10 * r22 - r12 * r20) + r02 * (r10 * r21 - r11 * r20)
    }

    /// Roll, pitch, yaw with `self = Rz(yaw)·Ry(pitch)·Rx(roll)`; pitch ∈ [−π/2, π/2], roll and yaw in [−π, π].
    ///
    /// Gimbal lock (|cos pitch| < ``gimbalLockThreshold``): yaw is set to 0 and roll carries the
    /// whole rotation about the shared axis. Elsewhere roll is extracted last from
    /// `Ry(pitch)ᵀ·Rz(yaw)ᵀ·R`, so `Rotation(rpy)` reproduces `self` to rounding even close to the lock.
    public var rpy: (roll: Double, pitch: Double, yaw: Double) {
        let cosPitch = (r00 * r00 + r10 * r10).squareRoot()
        let pitch = Double.atan2(y: -r20, x: cosPitch)
        let yaw = cosPitch < Rotation.gimbalLockThreshold ? 0 : Double.atan2(y: r10, x: r00)
        let residual = Rotation(uncheckedRoll: 0, pitch: pitch, yaw: yaw).transposed.multiplying(self)
        let roll = Double.atan2(y: residual.r21, x: residual.r11)
        return (roll, pitch, yaw)
    }

    /// The rotation vector (axis × angle, angle in [0, π]); see ``Quaternion/rotationVector``
    /// for the sign chosen at exactly π.
    public var rotationVector: Vector3 { Quaternion(projecting: self).rotationVector }

    /// The rotation angle in [0, π].
    public var angle: Double { rotationVector.norm }

    /// The inverse rotation (the transpose).
    public var transposed: Rotation {
        Rotation(unchecked: r00, r10, r20, r01, r11, r21, r02, r12, r22)
    }

    /// The inverse rotation.
    public var inverse: Rotation { transposed }

    // MARK: - Algebra

    /// The matrix product `self · other` (apply `other` first).
    public func multiplying(_ o: Rotation) -> Rotation {
        Rotation(unchecked:
            r00 * o.r00 + r01 * o.r10 + r02 * o.r20, r00 * o.r01 + r01 * o.r11 + r02 * o.r21,
            r00 * o.r02 + r01 * o.r12 + r02 * o.r22,
            r10 * o.r00 + r11 * o.r10 + r12 * o.r20, r10 * o.r01 + r11 * o.r11 + r12 * o.r21,
            r10 * o.r02 + r11 * o.r12 + r12 * o.r22,
            r20 * o.r00 + r21 * o.r10 + r22 * o.r20, r20 * o.r01 + r21 * o.r11 + r22 * o.r21,
            r20 * o.r02 + r21 * o.r12 + r22 * o.r22)
    }

    /// The matrix product `a · b`.
    public static func * (a: Rotation, b: Rotation) -> Rotation { a.multiplying(b) }

    /// The rotated vector `self · v`.
    public func apply(_ v: Vector3) -> Vector3 {
        Vector3(r00 * v.x + r01 * v.y + r02 * v.z,
                r10 * v.x + r11 * v.y + r12 * v.z,
                r20 * v.x + r21 * v.y + r22 * v.z)
    }

    /// The rotated vector `R · v`.
    public static func * (r: Rotation, v: Vector3) -> Vector3 { r.apply(v) }

    /// Largest absolute entry difference to `other` (a distance for tests and tolerances).
    public func maxAbsDifference(_ other: Rotation) -> Double {
        zip(rowMajor, other.rowMajor).map { abs($0 - $1) }.max() ?? 0
    }

    /// The angle in [0, π] of the relative rotation `selfᵀ · other` (geodesic distance).
    public func angularDistance(to other: Rotation) -> Double {
        transposed.multiplying(other).angle
    }
}
