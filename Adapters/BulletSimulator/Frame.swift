import Foundation
import ProphRLCore

/// A rigid transform with a plain 3×3 matrix, for the simulator's inner loops (kinematics, rendering
/// hand-off) where the core's validated ``Pose`` would cost a check per operation.
public struct Frame: Sendable, Equatable {
    /// Rotation, row-major.
    public var r: (Double, Double, Double, Double, Double, Double, Double, Double, Double)
    /// Translation.
    public var p: Vector3

    /// Exact equality of rotation and translation.
    public static func == (a: Frame, b: Frame) -> Bool {
        a.p == b.p && a.r.0 == b.r.0 && a.r.1 == b.r.1 && a.r.2 == b.r.2 && a.r.3 == b.r.3 && a.r.4 == b.r.4
            && a.r.5 == b.r.5 && a.r.6 == b.r.6 && a.r.7 == b.r.7 && a.r.8 == b.r.8
    }

    /// The identity transform.
    public static let identity = Frame(r: (1, 0, 0, 0, 1, 0, 0, 0, 1), p: .zero)

    /// Creates a transform from a row-major rotation and a translation.
    public init(r: (Double, Double, Double, Double, Double, Double, Double, Double, Double), p: Vector3) {
        self.r = r
        self.p = p
    }

    /// Creates a transform from a core pose.
    public init(_ pose: Pose) {
        let m = pose.rotation
        self.init(r: (m.r00, m.r01, m.r02, m.r10, m.r11, m.r12, m.r20, m.r21, m.r22), p: pose.position)
    }

    /// Creates a transform from a unit quaternion (x, y, z, w) and a translation.
    public init(quaternion q: (Double, Double, Double, Double), position: Vector3) {
        let (x, y, z, w) = q
        r = (1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w),
             2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w),
             2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y))
        p = position
    }

    /// Standard-DH joint transform `Rot_z(θ)·Trans_z(d)·Trans_x(a)·Rot_x(α)`.
    public static func dh(theta: Double, d: Double, a: Double, alpha: Double) -> Frame {
        let ct = cos(theta), st = sin(theta), ca = cos(alpha), sa = sin(alpha)
        return Frame(r: (ct, -st * ca, st * sa, st, ct * ca, -ct * sa, 0, sa, ca),
                     p: Vector3(a * ct, a * st, d))
    }

    /// Column `i` of the rotation (the frame's i-th axis in the parent frame).
    public func axis(_ i: Int) -> Vector3 {
        switch i {
        case 0: return Vector3(r.0, r.3, r.6)
        case 1: return Vector3(r.1, r.4, r.7)
        default: return Vector3(r.2, r.5, r.8)
        }
    }

    /// `self ∘ other`.
    public func composed(with o: Frame) -> Frame {
        let a = r, b = o.r
        return Frame(r: (a.0 * b.0 + a.1 * b.3 + a.2 * b.6, a.0 * b.1 + a.1 * b.4 + a.2 * b.7, a.0 * b.2 + a.1 * b.5 + a.2 * b.8,
                         a.3 * b.0 + a.4 * b.3 + a.5 * b.6, a.3 * b.1 + a.4 * b.4 + a.5 * b.7, a.3 * b.2 + a.4 * b.5 + a.5 * b.8,
                         a.6 * b.0 + a.7 * b.3 + a.8 * b.6, a.6 * b.1 + a.7 * b.4 + a.8 * b.7, a.6 * b.2 + a.7 * b.5 + a.8 * b.8),
                     p: rotate(o.p) + p)
    }

    /// The rotation applied to `v`.
    public func rotate(_ v: Vector3) -> Vector3 {
        Vector3(r.0 * v.x + r.1 * v.y + r.2 * v.z, r.3 * v.x + r.4 * v.y + r.5 * v.z, r.6 * v.x + r.7 * v.y + r.8 * v.z)
    }

    /// The transpose rotation applied to `v`.
    public func unrotate(_ v: Vector3) -> Vector3 {
        Vector3(r.0 * v.x + r.3 * v.y + r.6 * v.z, r.1 * v.x + r.4 * v.y + r.7 * v.z, r.2 * v.x + r.5 * v.y + r.8 * v.z)
    }

    /// `self` applied to the point `v`.
    public func apply(_ v: Vector3) -> Vector3 { rotate(v) + p }

    /// The inverse transform.
    public var inverse: Frame {
        let t = Frame(r: (r.0, r.3, r.6, r.1, r.4, r.7, r.2, r.5, r.8), p: .zero)
        return Frame(r: t.r, p: -t.rotate(p))
    }

    /// The core pose of this transform (the rotation re-orthonormalised by the core).
    public var pose: Pose {
        get throws {
            var rotation = try Rotation(rowMajor: [r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8])
            // Iterate the core's projection to its fixed point so a stored and re-loaded pose is bit-identical.
            for _ in 0..<4 {
                let again = try Rotation(rowMajor: rotation.rowMajor)
                if again == rotation { break }
                rotation = again
            }
            return try Pose(position: p, rotation: rotation)
        }
    }

    /// The rotation as a unit quaternion (x, y, z, w).
    public var quaternion: (Double, Double, Double, Double) {
        let trace = r.0 + r.4 + r.8
        if trace > 0 {
            let s = (trace + 1).squareRoot() * 2
            return ((r.7 - r.5) / s, (r.2 - r.6) / s, (r.3 - r.1) / s, s / 4)
        } else if r.0 > r.4 && r.0 > r.8 {
            let s = (1 + r.0 - r.4 - r.8).squareRoot() * 2
            return (s / 4, (r.1 + r.3) / s, (r.2 + r.6) / s, (r.7 - r.5) / s)
        } else if r.4 > r.8 {
            let s = (1 + r.4 - r.0 - r.8).squareRoot() * 2
            return ((r.1 + r.3) / s, s / 4, (r.5 + r.7) / s, (r.2 - r.6) / s)
        } else {
            let s = (1 + r.8 - r.0 - r.4).squareRoot() * 2
            return ((r.2 + r.6) / s, (r.5 + r.7) / s, s / 4, (r.3 - r.1) / s)
        }
    }

    /// The rotation error `e` (axis × angle, parent frame) with `Rot(e)·self.R ≈ target.R` for small errors.
    public func rotationError(to target: Frame) -> Vector3 {
        // Sum over axes of (own axis × target axis) / 2: the standard small-angle orientation error.
        let c = axis(0).cross(target.axis(0)) + axis(1).cross(target.axis(1)) + axis(2).cross(target.axis(2))
        return 0.5 * c
    }
}
