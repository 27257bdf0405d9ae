import ProphRLCore

/// Forward kinematics, geometric Jacobian and damped-least-squares inverse kinematics of the UR30e from its
/// standard DH table (robot.md §6.1), with the tool (TCP) a fixed offset along the flange z axis.
///
/// Kept in this adapter (not the core's Robot/ folder, which another module owns) because the simulator needs
/// the Jacobian and IK next to the physics model built from the same table.
public struct ArmKinematics: Sendable {
    /// DH link lengths a (m).
    public static let a: [Double] = [0, -0.6370, -0.5037, 0, 0, 0]
    /// DH offsets d (m).
    public static let d: [Double] = [0.2363, 0, 0, 0.2010, 0.1593, 0.1543]
    /// DH twists α (rad).
    public static let alpha: [Double] = [Double.pi / 2, 0, 0, Double.pi / 2, -Double.pi / 2, 0]
    /// Number of arm joints.
    public static let jointCount = 6

    /// Distance from the flange to the TCP along the flange z axis (m).
    public let toolOffset: Double

    /// Creates the kinematics with a TCP `toolOffset` metres beyond the flange.
    public init(toolOffset: Double) {
        self.toolOffset = toolOffset
    }

    /// The DH frames T₀ (base, identity) … T₆ (flange) at joint positions `q` (6 values, not checked).
    public func frames(_ q: [Double]) -> [Frame] {
        var frames = [Frame.identity]
        frames.reserveCapacity(7)
        var t = Frame.identity
        for i in 0..<6 {
            t = t.composed(with: .dh(theta: q[i], d: Self.d[i], a: Self.a[i], alpha: Self.alpha[i]))
            frames.append(t)
        }
        return frames
    }

    /// The flange pose at `q`.
    public func flange(_ q: [Double]) -> Frame { frames(q)[6] }

    /// The TCP pose at `q`.
    public func tool(_ q: [Double]) -> Frame { toolFrame(flange: flange(q)) }

    /// The TCP pose for a given flange pose.
    public func toolFrame(flange: Frame) -> Frame {
        Frame(r: flange.r, p: flange.p + toolOffset * flange.axis(2))
    }

    /// The 6×6 geometric Jacobian of the TCP (rows vx, vy, vz, ωx, ωy, ωz; row-major).
    public func jacobian(_ q: [Double]) -> [Double] {
        let f = frames(q)
        let tcp = toolFrame(flange: f[6]).p
        var j = [Double](repeating: 0, count: 36)
        for i in 0..<6 {
            let z = f[i].axis(2)
            let v = z.cross(tcp - f[i].p)
            j[0 * 6 + i] = v.x; j[1 * 6 + i] = v.y; j[2 * 6 + i] = v.z
            j[3 * 6 + i] = z.x; j[4 * 6 + i] = z.y; j[5 * 6 + i] = z.z
        }
        return j
    }

    /// Outcome of an inverse-kinematics solve.
    public struct Solution: Sendable, Equatable {
        /// Joint positions found.
        public var q: [Double]
        /// Remaining position error (m).
        public var positionError: Double
        /// Remaining orientation error (rad).
        public var orientationError: Double
        /// Iterations used.
        public var iterations: Int
    }

    /// Damped-least-squares IK: iterates `Δq = Jᵀ(JJᵀ + λ²I)⁻¹e` from `seed` towards the TCP pose `target`,
    /// stopping at `positionTolerance` (m) and `orientationTolerance` (rad) or after `maxIterations`.
    public func solve(target: Frame, seed: [Double], damping: Double = 0.02, maxIterations: Int = 100,
                      positionTolerance: Double = 1e-6, orientationTolerance: Double = 1e-6) -> Solution {
        var q = seed
        var iterations = 0
        var (ep, er) = errors(q, target)
        while iterations < maxIterations && (ep.norm > positionTolerance || er.norm > orientationTolerance) {
            let j = jacobian(q)
            let e = [ep.x, ep.y, ep.z, er.x, er.y, er.z]
            // A = J Jᵀ + λ² I, solve A y = e, Δq = Jᵀ y.
            var a = [Double](repeating: 0, count: 36)
            for r in 0..<6 {
                for c in r..<6 {
                    var s = 0.0
                    for k in 0..<6 { s += j[r * 6 + k] * j[c * 6 + k] }
                    a[r * 6 + c] = s; a[c * 6 + r] = s
                }
                a[r * 6 + r] += damping * damping
            }
            guard let y = Self.solveSymmetric(a, e) else { break }
            var step = 0.0
            for k in 0..<6 {
                var s = 0.0
                for r in 0..<6 { s += j[r * 6 + k] * y[r] }
                q[k] += s
                step = max(step, abs(s))
            }
            iterations += 1
            (ep, er) = errors(q, target)
            if step < 1e-12 { break }
        }
        return Solution(q: q, positionError: ep.norm, orientationError: er.norm, iterations: iterations)
    }

    /// Position and orientation errors of the TCP at `q` relative to `target`.
    func errors(_ q: [Double], _ target: Frame) -> (Vector3, Vector3) {
        let tcp = tool(q)
        return (target.p - tcp.p, tcp.rotationError(to: target))
    }

    /// Solves the symmetric positive definite 6×6 system `a x = b` by Cholesky; `nil` if not positive definite.
    static func solveSymmetric(_ a: [Double], _ b: [Double]) -> [Double]? {
        let n = 6
        var l = [Double](repeating: 0, count: 36)
        for i in 0..<n {
            for j in 0...i {
                var s = a[i * n + j]
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    guard s > 0 else { return nil }
                    l[i * n + i] = s.squareRoot()
                } else {
                    l[i * n + j] = s / l[j * n + j]
                }
            }
        }
        var y = b
        for i in 0..<n {
            for k in 0..<i { y[i] -= l[i * n + k] * y[k] }
            y[i] /= l[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            for k in (i + 1)..<n { y[i] -= l[k * n + i] * y[k] }
            y[i] /= l[i * n + i]
        }
        return y
    }
}
