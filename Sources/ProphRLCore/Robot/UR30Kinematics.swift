import RealModule

/// Forward and inverse kinematics of a UR arm from its DH table (UR30 by default), in the UR base frame.
///
/// ```swift
/// let kinematics = UR30Kinematics()
/// let pose = try kinematics.forward([0, 0, 0, 0, 0, 0])      // [-1.1407, -0.3553, 0.0770, 1.5708, 0, 0]
/// let q = try kinematics.inverse(pose: pose, seed: [0.1, -0.1, 0.1, 0.1, 0.1, 0.1])
/// ```
/// Poses are `[x, y, z, rx, ry, rz]` (m, rotation vector in rad). Nominal DH differs from a real,
/// calibrated arm by a few millimetres; read `actual_TCP_pose` for precise work.
public struct UR30Kinematics: Equatable, Sendable {
    /// The DH table.
    public let parameters: DHParameters
    /// Tool centre point relative to the flange.
    public let tcpOffset: HomogeneousTransform

    /// Creates the model; `tcpOffset` is a UR pose of the TCP in the flange frame.
    public init(parameters: DHParameters = .ur30, tcpOffset: [Double] = [0, 0, 0, 0, 0, 0]) throws {
        self.parameters = parameters
        self.tcpOffset = try HomogeneousTransform(pose: tcpOffset)
    }

    /// The nominal UR30 with the TCP at the flange.
    public init() {
        parameters = .ur30
        tcpOffset = .identity
    }

    /// Frames 0…6 (base, then after each joint), TCP offset not applied.
    public func frames(_ q: [Double]) throws -> [HomogeneousTransform] {
        try Validate.count(q.count, equals: 6, "q")
        try Validate.finite(q, "q")
        var frames = [HomogeneousTransform.identity]
        var current = HomogeneousTransform.identity
        for i in 0..<6 {
            let ct = Double.cos(q[i]), st = Double.sin(q[i])
            let ca = Double.cos(parameters.alpha[i]), sa = Double.sin(parameters.alpha[i])
            // Rot_z(θ) · Trans_z(d) · Trans_x(a) · Rot_x(α)
            let link = HomogeneousTransform(
                rotation: [ct, -st * ca, st * sa, st, ct * ca, -ct * sa, 0, sa, ca],
                translation: [parameters.a[i] * ct, parameters.a[i] * st, parameters.d[i]])
            current = current * link
            frames.append(current)
        }
        return frames
    }

    /// The flange transform in the base frame.
    public func flange(_ q: [Double]) throws -> HomogeneousTransform {
        try frames(q)[6]
    }

    /// The TCP pose `[x, y, z, rx, ry, rz]` at joint angles `q`.
    public func forward(_ q: [Double]) throws -> [Double] {
        (try flange(q) * tcpOffset).pose
    }

    /// The 6×6 geometric Jacobian (rows: vx, vy, vz, ωx, ωy, ωz) of the TCP at `q`, row-major.
    public func jacobian(_ q: [Double]) throws -> [Double] {
        let frames = try frames(q)
        let tcp = (frames[6] * tcpOffset).translation
        var jacobian = [Double](repeating: 0, count: 36)
        for i in 0..<6 {
            let r = frames[i].rotation
            let z = [r[2], r[5], r[8]]
            let p = frames[i].translation
            let arm = [tcp[0] - p[0], tcp[1] - p[1], tcp[2] - p[2]]
            let linear = [z[1] * arm[2] - z[2] * arm[1], z[2] * arm[0] - z[0] * arm[2], z[0] * arm[1] - z[1] * arm[0]]
            for row in 0..<3 {
                jacobian[6 * row + i] = linear[row]
                jacobian[6 * (row + 3) + i] = z[row]
            }
        }
        return jacobian
    }

    /// Joint velocities producing the tool twist `twist` (m/s, rad/s) at `q` (damped least squares).
    public func jointVelocities(for twist: [Double], at q: [Double], damping: Double = 1e-3) throws -> [Double] {
        try Validate.count(twist.count, equals: 6, "twist")
        try Validate.finite(twist, "twist")
        return try Self.dampedSolve(jacobian: try jacobian(q), rhs: twist, damping: damping)
    }

    /// Pose error `[Δx, Δy, Δz, rotation vector]` that takes `from` to `to`, both UR poses.
    public static func poseError(from: [Double], to: [Double]) throws -> [Double] {
        let a = try HomogeneousTransform(pose: from), b = try HomogeneousTransform(pose: to)
        return [b.translation[0] - a.translation[0], b.translation[1] - a.translation[1],
                b.translation[2] - a.translation[2]]
            + HomogeneousTransform.rotationError(from: a.rotation, to: b.rotation)
    }

    /// Joint angles reaching `pose` near `seed` (damped least squares iteration).
    /// - Throws: ``ValidationError`` on bad input; ``KinematicsError/noSolution(pose:residual:)`` if it does not converge.
    public func inverse(pose: [Double], seed: [Double], tolerance: Double = 1e-7,
                        maxIterations: Int = 200) throws -> [Double] {
        let target = try HomogeneousTransform(pose: pose)
        try Validate.count(seed.count, equals: 6, "seed")
        try Validate.finite(seed, "seed")
        var q = seed
        var residual = Double.infinity
        for _ in 0..<maxIterations {
            let current = try flange(q) * tcpOffset
            let error = [target.translation[0] - current.translation[0],
                         target.translation[1] - current.translation[1],
                         target.translation[2] - current.translation[2]]
                + HomogeneousTransform.rotationError(from: current.rotation, to: target.rotation)
            residual = (error.reduce(0) { $0 + $1 * $1 }).squareRoot()
            if residual < tolerance { return q }
            var step = try Self.dampedSolve(jacobian: try jacobian(q), rhs: error, damping: 1e-4)
            // Keep each iteration small so the linearization holds far from the solution.
            let norm = (step.reduce(0) { $0 + $1 * $1 }).squareRoot()
            if norm > 0.3 { step = step.map { $0 * 0.3 / norm } }
            for i in 0..<6 { q[i] += step[i] }
        }
        throw KinematicsError.noSolution(pose: pose, residual: residual)
    }

    /// Solves (J Jᵀ + λ² I) y = b, returns Jᵀ y (damped least squares), J row-major 6×6.
    static func dampedSolve(jacobian j: [Double], rhs b: [Double], damping: Double) throws -> [Double] {
        var m = [Double](repeating: 0, count: 36)
        for r in 0..<6 { for c in 0..<6 {
            var sum = 0.0
            for k in 0..<6 { sum += j[6 * r + k] * j[6 * c + k] }
            m[6 * r + c] = sum + (r == c ? damping * damping : 0)
        } }
        let y = try solve6(m, b)
        var x = [Double](repeating: 0, count: 6)
        for c in 0..<6 { for r in 0..<6 { x[c] += j[6 * r + c] * y[r] } }
        return x
    }

    /// Gaussian elimination with partial pivoting on a 6×6 system.
    static func solve6(_ matrix: [Double], _ rhs: [Double]) throws -> [Double] {
        var a = matrix, b = rhs
        for col in 0..<6 {
            var pivot = col
            for row in (col + 1)..<6 where abs(a[6 * row + col]) > abs(a[6 * pivot + col]) { pivot = row }
            guard abs(a[6 * pivot + col]) > 1e-300 else {
                throw KinematicsError.singular
            }
            if pivot != col {
                for k in 0..<6 { a.swapAt(6 * col + k, 6 * pivot + k) }
                b.swapAt(col, pivot)
            }
            for row in (col + 1)..<6 {
                let f = a[6 * row + col] / a[6 * col + col]
                for k in col..<6 { a[6 * row + k] -= f * a[6 * col + k] }
                b[row] -= f * b[col]
            }
        }
        var x = [Double](repeating: 0, count: 6)
        for row in stride(from: 5, through: 0, by: -1) {
            var sum = b[row]
            for k in (row + 1)..<6 { sum -= a[6 * row + k] * x[k] }
            x[row] = sum / a[6 * row + row]
        }
        return x
    }
}

/// A kinematics computation that has no answer.
public enum KinematicsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Inverse kinematics did not converge to `pose`; `residual` is the last pose-error norm.
    case noSolution(pose: [Double], residual: Double)
    /// The linear system was singular.
    case singular

    /// A one-line message.
    public var description: String {
        switch self {
        case .noSolution(let pose, let residual): return "no IK solution for pose \(pose) (residual \(residual))"
        case .singular: return "singular kinematic system"
        }
    }
}
