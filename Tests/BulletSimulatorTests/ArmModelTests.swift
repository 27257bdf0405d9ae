import BulletSimulator
import Foundation
import ProphRLCore
import Testing

@Suite("UR30e multibody model")
struct ArmModelTests {
    /// DH FK written out independently with explicit matrices (the reference for the Bullet model).
    static func referenceFlange(_ q: [Double]) -> (position: [Double], rotation: [[Double]]) {
        let a = [0, -0.6370, -0.5037, 0, 0, 0], d = [0.2363, 0, 0, 0.2010, 0.1593, 0.1543]
        let alpha = [Double.pi / 2, 0, 0, Double.pi / 2, -Double.pi / 2, 0]
        var t: [[Double]] = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]
        for i in 0..<6 {
            let ct = cos(q[i]), st = sin(q[i]), ca = cos(alpha[i]), sa = sin(alpha[i])
            let m: [[Double]] = [[ct, -st * ca, st * sa, a[i] * ct], [st, ct * ca, -ct * sa, a[i] * st],
                                 [0, sa, ca, d[i]], [0, 0, 0, 1]]
            var n = [[Double]](repeating: [0, 0, 0, 0], count: 4)
            for r in 0..<4 { for c in 0..<4 { for k in 0..<4 { n[r][c] += t[r][k] * m[k][c] } } }
            t = n
        }
        return ([t[0][3], t[1][3], t[2][3]], (0..<3).map { r in (0..<3).map { t[r][$0] } })
    }

    @Test func dhKinematicsMatchesPublishedCheckValues() {
        let k = ArmKinematics(toolOffset: 0)
        let cases: [([Double], [Double])] = [
            ([0, 0, 0, 0, 0, 0], [-1.1407, -0.3553, 0.0770]),
            ([0, -Double.pi / 2, 0, -Double.pi / 2, 0, 0], [0, -0.3553, 1.5363]),
            ([0, -Double.pi / 2, Double.pi / 2, -Double.pi / 2, -Double.pi / 2, 0], [-0.6630, -0.2010, 0.7190]),
        ]
        for (q, expected) in cases {
            let p = k.flange(q).p
            #expect(abs(p.x - expected[0]) < 1e-4 && abs(p.y - expected[1]) < 1e-4 && abs(p.z - expected[2]) < 1e-4,
                    "q \(q): \(p) vs \(expected)")
        }
    }

    @Test func bulletModelMatchesDHForwardKinematics() throws {
        let model = ArmModel()
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<20 {
            let world = try BulletWorld()
            let arm = try model.build(in: world)
            let q = (0..<6).map { _ in (rng.nextUniform() * 2 - 1) * Double.pi }
            try world.reset(multibody: arm, positions: q + [0.02, 0.02])
            let flange = model.flange(fromWrist3: world.pose(multibody: arm, link: 5))
            let reference = Self.referenceFlange(q)
            for i in 0..<3 {
                #expect(abs(flange.p.array[i] - reference.position[i]) < 1e-6, "position \(i) at q \(q)")
                for j in 0..<3 {
                    #expect(abs(flange.axis(j).array[i] - reference.rotation[i][j]) < 1e-6, "R[\(i)][\(j)] at q \(q)")
                }
            }
        }
    }

    @Test func dampedLeastSquaresReachesReachableTargets() {
        let k = ArmKinematics(toolOffset: ArmModel.toolOffset)
        var rng = SeededGenerator(seed: 3)
        let home = [0, -Double.pi / 2, Double.pi / 2, -Double.pi / 2, -Double.pi / 2, 0]
        for _ in 0..<30 {
            // A reachable target: FK of a random configuration near home; solve from home.
            let q = home.map { $0 + (rng.nextUniform() * 2 - 1) * 0.5 }
            let target = k.tool(q)
            let solution = k.solve(target: target, seed: home)
            let reached = k.tool(solution.q)
            #expect((reached.p - target.p).norm < 1e-3, "position error \((reached.p - target.p).norm)")
            #expect(reached.rotationError(to: target).norm < 1e-3)
        }
    }
}
