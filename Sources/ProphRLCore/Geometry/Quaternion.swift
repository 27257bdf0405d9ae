import RealModule

/// A unit quaternion `w + xi + yj + zk` (Hamilton convention, `ij = k`), representing a rotation.
///
/// `q` and `−q` are the same rotation; conversions from matrices return the one with `w ≥ 0`.
/// The rotation of `q` acts on vectors as `v' = q·v·q*` and equals ``rotation`` applied to `v`.
public struct Quaternion: Sendable, Equatable, Hashable {
    /// Scalar part.
    public let w: Double
    /// Vector part, i component.
    public let x: Double
    /// Vector part, j component.
    public let y: Double
    /// Vector part, k component.
    public let z: Double

    /// How far from 1 the norm of a quaternion passed to ``init(w:x:y:z:)`` may be.
    public static let unitTolerance = 1e-6

    /// Creates a unit quaternion from trusted components.
    @usableFromInline
    init(unchecked w: Double, _ x: Double, _ y: Double, _ z: Double) {
        self.w = w; self.x = x; self.y = y; self.z = z
    }

    /// The identity rotation.
    public static let identity = Quaternion(unchecked: 1, 0, 0, 0)

    /// Creates a quaternion that must already be unit (|‖q‖ − 1| ≤ ``unitTolerance``); it is then
    /// renormalised to rounding.
    /// - Throws: ``ValidationError`` naming `quaternion` if a component is not finite, the
    ///   quaternion is zero or its norm is not 1.
    public init(w: Double, x: Double, y: Double, z: Double) throws {
        let norm = try Quaternion.checkedNorm(w, x, y, z)
        if abs(norm - 1) > Quaternion.unitTolerance {
            throw ValidationError.outOfRange(argument: "quaternion",
                                             expected: "unit norm (|‖q‖ − 1| ≤ \(Quaternion.unitTolerance))",
                                             actual: norm)
        }
        self.init(unchecked: w / norm, x / norm, y / norm, z / norm)
    }

    /// Creates the unit quaternion `q/‖q‖` from any non-zero quaternion.
    /// - Throws: ``ValidationError`` naming `quaternion` if a component is not finite or it is zero.
    public init(normalizing w: Double, x: Double, y: Double, z: Double) throws {
        let norm = try Quaternion.checkedNorm(w, x, y, z)
        self.init(unchecked: w / norm, x / norm, y / norm, z / norm)
    }

    private static func checkedNorm(_ w: Double, _ x: Double, _ y: Double, _ z: Double) throws -> Double {
        try Validate.finite([w, x, y, z], "quaternion")
        let norm = (w * w + x * x + y * y + z * z).squareRoot()
        if !(norm > 1e-12) {
            throw ValidationError.invalid(argument: "quaternion", reason: "expected a non-zero quaternion, got norm \(norm)")
        }
        return norm
    }

    /// The quaternion (with `w ≥ 0`) of a rotation matrix, by Shepperd's method (stable for every
    /// angle, including half-turns).
    public init(rotation: Rotation) {
        self.init(projecting: rotation)
    }

    /// Shepperd's method on a nearly orthonormal matrix, normalised: the nearest unit quaternion
    /// for small deviations.
    init(projecting m: Rotation) {
        let trace = m.r00 + m.r11 + m.r22
        var q: (Double, Double, Double, Double)
        if trace >= m.r00 && trace >= m.r11 && trace >= m.r22 {
            let s = 2 * (1 + trace).squareRoot()          // 4w
            q = (s / 4, (m.r21 - m.r12) / s, (m.r02 - m.r20) / s, (m.r10 - m.r01) / s)
        } else if m.r00 >= m.r11 && m.r00 >= m.r22 {
            let s = 2 * (1 + m.r00 - m.r11 - m.r22).squareRoot()   // 4x
            q = ((m.r21 - m.r12) / s, s / 4, (m.r01 + m.r10) / s, (m.r02 + m.r20) / s)
        } else if m.r11 >= m.r22 {
            let s = 2 * (1 - m.r00 + m.r11 - m.r22).squareRoot()   // 4y
            q = ((m.r02 - m.r20) / s, (m.r01 + m.r10) / s, s / 4, (m.r12 + m.r21) / s)
        } else {
            let s = 2 * (1 - m.r00 - m.r11 + m.r22).squareRoot()   // 4z
            q = ((m.r10 - m.r01) / s, (m.r02 + m.r20) / s, (m.r12 + m.r21) / s, s / 4)
        }
        if q.0 < 0 { q = (-q.0, -q.1, -q.2, -q.3) }
        let norm = (q.0 * q.0 + q.1 * q.1 + q.2 * q.2 + q.3 * q.3).squareRoot()
        self.init(unchecked: q.0 / norm, q.1 / norm, q.2 / norm, q.3 / norm)
    }

    /// The quaternion of a rotation vector (axis × angle, radians).
    /// - Throws: ``ValidationError`` naming `rotationVector` if a component is not finite.
    public init(rotationVector v: Vector3) throws {
        try Validate.finite(v.array, "rotationVector")
        let theta = v.norm
        let half = theta / 2
        // sin(θ/2)/θ, with its Taylor series near 0.
        let k = theta < 1e-4 ? 0.5 - theta * theta / 48 : Double.sin(half) / theta
        self.init(unchecked: Double.cos(half), k * v.x, k * v.y, k * v.z)
    }

    // MARK: - Views

    /// `[w, x, y, z]`.
    public var array: [Double] { [w, x, y, z] }

    /// The rotation matrix.
    public var rotation: Rotation {
        let (ww, xx, yy, zz) = (w * w, x * x, y * y, z * z)
        let (xy, xz, yz, wx, wy, wz) = (x * y, x * z, y * z, w * x, w * y, w * z)
        return Rotation(unchecked: ww + xx - yy - zz, 2 * (xy - wz), 2 * (xz + wy),
                        2 * (xy + wz), ww - xx + yy - zz, 2 * (yz - wx),
                        2 * (xz - wy), 2 * (yz + wx), ww - xx - yy + zz)
    }

    /// The rotation vector, angle in [0, π].
    ///
    /// A half-turn (|w| < 1e-12) is ambiguous between `n·π` and `−n·π`; the sign is chosen so the
    /// first component of magnitude > 1e-12 is positive (so `(π/√2)(1, 1, 0)` stays as UR reports it).
    public var rotationVector: Vector3 {
        var (qw, qx, qy, qz) = (w, x, y, z)
        if qw < 0 { (qw, qx, qy, qz) = (-qw, -qx, -qy, -qz) }
        if qw < 1e-12 {
            let leading = [qx, qy, qz].first { abs($0) > 1e-12 } ?? 0
            if leading < 0 { (qw, qx, qy, qz) = (-qw, -qx, -qy, -qz) }
        }
        let s = (qx * qx + qy * qy + qz * qz).squareRoot()
        // θ/sin(θ/2) = 2·atan2(s, w)/s; near 0 use its limit 2/w (relative error O(s²)).
        let factor = s < 1e-8 ? 2 / qw : 2 * Double.atan2(y: s, x: qw) / s
        return Vector3(factor * qx, factor * qy, factor * qz)
    }

    /// The conjugate (inverse for a unit quaternion).
    public var conjugate: Quaternion { Quaternion(unchecked: w, -x, -y, -z) }

    // MARK: - Algebra

    /// The Hamilton product `a·b` (the rotation of `b` first, then `a`).
    public static func * (a: Quaternion, b: Quaternion) -> Quaternion {
        let product = Quaternion(unchecked:
            a.w * b.w - a.x * b.x - a.y * b.y - a.z * b.z,
            a.w * b.x + a.x * b.w + a.y * b.z - a.z * b.y,
            a.w * b.y - a.x * b.z + a.y * b.w + a.z * b.x,
            a.w * b.z + a.x * b.y - a.y * b.x + a.z * b.w)
        return product.renormalized
    }

    /// The rotated vector `q·v·q*`.
    public func apply(_ v: Vector3) -> Vector3 { rotation.apply(v) }

    /// Spherical linear interpolation along the shorter arc; `t` = 0 gives `self`, 1 gives `other`.
    /// - Throws: ``ValidationError`` naming `t` if it is not finite.
    public func slerp(to other: Quaternion, t: Double) throws -> Quaternion {
        try Validate.finite(t, "t")
        var target = other
        var cosine = w * other.w + x * other.x + y * other.y + z * other.z
        if cosine < 0 { target = Quaternion(unchecked: -other.w, -other.x, -other.y, -other.z); cosine = -cosine }
        let a: Double, b: Double
        if cosine > 0.9995 {
            // Nearly parallel: linear interpolation, then renormalise (sin Ω ≈ 0).
            a = 1 - t; b = t
        } else {
            let omega = Double.acos(min(cosine, 1))
            let sinOmega = Double.sin(omega)
            a = Double.sin((1 - t) * omega) / sinOmega
            b = Double.sin(t * omega) / sinOmega
        }
        return Quaternion(unchecked: a * w + b * target.w, a * x + b * target.x,
                          a * y + b * target.y, a * z + b * target.z).renormalized
    }

    private var renormalized: Quaternion {
        let norm = (w * w + x * x + y * y + z * z).squareRoot()
        return Quaternion(unchecked: w / norm, x / norm, y / norm, z / norm)
    }
}
