import RealModule
import Testing
@testable import ProphRLCore

/// Random rotations and poses drawn from a seeded generator.
enum GeometrySamples {
    /// A uniformly random rotation (normalised Gaussian quaternion).
    static func rotation(_ rng: inout SeededGenerator) -> Rotation {
        // The norm of a 4-D Gaussian is almost surely far from zero.
        try! Quaternion(normalizing: rng.nextGaussian(), x: rng.nextGaussian(),
                        y: rng.nextGaussian(), z: rng.nextGaussian()).rotation
    }

    /// A random pose with position in a 2 m cube.
    static func pose(_ rng: inout SeededGenerator) -> Pose {
        let p = Vector3(2 * rng.nextUniform() - 1, 2 * rng.nextUniform() - 1, 2 * rng.nextUniform() - 1)
        return try! Pose(position: p, rotation: rotation(&rng))
    }

    /// A rotation vector of the given angle about a random axis.
    static func rotationVector(angle: Double, _ rng: inout SeededGenerator) -> Vector3 {
        let axis = Vector3(rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian())
        return (angle / axis.norm) * axis
    }
}

@Suite("Geometry: rotations, quaternions, poses")
struct GeometryTests {
    /// Naive `Rz(yaw)·Ry(pitch)·Rx(roll)` from the elementary matrices, as an independent reference.
    func naiveRPY(_ roll: Double, _ pitch: Double, _ yaw: Double) -> [[Double]] {
        let rx = [[1, 0, 0], [0, Double.cos(roll), -Double.sin(roll)], [0, Double.sin(roll), Double.cos(roll)]]
        let ry = [[Double.cos(pitch), 0, Double.sin(pitch)], [0, 1, 0], [-Double.sin(pitch), 0, Double.cos(pitch)]]
        let rz = [[Double.cos(yaw), -Double.sin(yaw), 0], [Double.sin(yaw), Double.cos(yaw), 0], [0, 0, 1]]
        func mul(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
            (0..<3).map { i in (0..<3).map { j in (0..<3).reduce(0) { $0 + a[i][$1] * b[$1][j] } } }
        }
        return mul(rz, mul(ry, rx))
    }

    func orthonormalityError(_ r: Rotation) -> Double {
        r.transposed.multiplying(r).maxAbsDifference(.identity)
    }

    @Test("RPY matrix equals Rz·Ry·Rx built from elementary rotations")
    func rpyMatchesElementaryProduct() throws {
        var rng = SeededGenerator(seed: 1)
        for _ in 0..<200 {
            let (r, p, y) = (Double.pi * (2 * rng.nextUniform() - 1), Double.pi / 2 * (2 * rng.nextUniform() - 1),
                             Double.pi * (2 * rng.nextUniform() - 1))
            let rotation = try Rotation(roll: r, pitch: p, yaw: y)
            let reference = naiveRPY(r, p, y)
            for i in 0..<3 { for j in 0..<3 { #expect(abs(rotation[i, j] - reference[i][j]) < 1e-15) } }
        }
    }

    @Test("Published values: 90° about x is the UR30 zero-pose flange rotation vector (π/2, 0, 0)")
    func publishedRotationVectors() throws {
        let flange = try Rotation(roll: Double.pi / 2, pitch: 0, yaw: 0)
        let v = flange.rotationVector
        #expect(abs(v.x - 1.5707963267948966) < 1e-12 && abs(v.y) < 1e-12 && abs(v.z) < 1e-12)
        // robot.md §6.2, "tool down": rotation vector (2.2214, 2.2214, 0) = π·(1,1,0)/√2, whose
        // matrix is 2nnᵀ − I = [[0,1,0],[1,0,0],[0,0,−1]] (z axis pointing down).
        let toolDown = try Rotation(rowMajor: [0, 1, 0, 1, 0, 0, 0, 0, -1])
        let down = toolDown.rotationVector
        #expect(abs(down.x - 2.2214) < 5e-5 && abs(down.y - 2.2214) < 5e-5 && abs(down.z) < 1e-12)
        let fromUR = try Pose(urPose: [-0.6630, -0.2010, 0.7190, 2.2214, 2.2214, 0])
        #expect(fromUR.rotation.maxAbsDifference(toolDown) < 1e-4)
        // "upright": (0, 2.2214, −2.2214), n = (0,1,−1)/√2, R = [[−1,0,0],[0,0,−1],[0,−1,0]].
        let upright = try Rotation(rowMajor: [-1, 0, 0, 0, 0, -1, 0, -1, 0])
        let up = upright.rotationVector
        #expect(abs(up.x) < 1e-12 && abs(up.y - 2.2214) < 5e-5 && abs(up.z + 2.2214) < 5e-5)
    }

    @Test("UR30 forward kinematics by pose composition reproduces robot.md §6.2 positions and rotation vectors")
    func ur30ForwardKinematics() throws {
        // robot.md §6.1: standard DH, T_i = Rot_z(θ_i)·Trans_z(d_i)·Trans_x(a_i)·Rot_x(α_i).
        let a = [0, -0.6370, -0.5037, 0, 0, 0], d = [0.2363, 0, 0, 0.2010, 0.1593, 0.1543]
        let alpha = [Double.pi / 2, 0, 0, Double.pi / 2, -Double.pi / 2, 0]
        func flange(_ q: [Double]) throws -> Pose {
            try (0..<6).reduce(Pose.identity) { pose, i in
                try pose ∘ Pose(position: .zero, rotation: .aboutZ(q[i]))
                    ∘ Pose(position: Vector3(a[i], 0, d[i]), rotation: .aboutX(alpha[i]))
            }
        }
        let h = Double.pi / 2
        let table: [([Double], [Double])] = [
            ([0, 0, 0, 0, 0, 0], [-1.1407, -0.3553, 0.0770, 1.5708, 0, 0]),
            ([0, -h, 0, -h, 0, 0], [0, -0.3553, 1.5363, 0, 2.2214, -2.2214]),
            ([0, -h, h, -h, -h, 0], [-0.6630, -0.2010, 0.7190, 2.2214, 2.2214, 0]),
        ]
        for (q, expected) in table {
            let ur = try flange(q).urPose
            for k in 0..<6 { #expect(abs(ur[k] - expected[k]) < 6e-5, "q \(q), component \(k): \(ur)") }
        }
    }

    @Test("RPY → matrix → RPY round trip on random angles away from gimbal lock")
    func rpyRoundTrip() throws {
        var rng = SeededGenerator(seed: 2)
        for _ in 0..<1000 {
            let r = Double.pi * (2 * rng.nextUniform() - 1)
            let p = 1.5 * (2 * rng.nextUniform() - 1)
            let y = Double.pi * (2 * rng.nextUniform() - 1)
            let angles = try Rotation(roll: r, pitch: p, yaw: y).rpy
            #expect(abs(angles.roll - r) < 1e-12 && abs(angles.pitch - p) < 1e-12 && abs(angles.yaw - y) < 1e-12)
        }
    }

    @Test("Matrix → RPY → matrix reproduces the rotation, including at and near gimbal lock")
    func rpyNearGimbalLock() throws {
        var rng = SeededGenerator(seed: 3)
        for offset in [0.0, 1e-14, 1e-12, 1e-10, 1e-9, 1e-8, 1e-6, 1e-3] {
            for sign in [-1.0, 1.0] {
                for _ in 0..<50 {
                    let pitch = sign * (Double.pi / 2 - offset)
                    let rotation = try Rotation(roll: Double.pi * (2 * rng.nextUniform() - 1), pitch: pitch,
                                                yaw: Double.pi * (2 * rng.nextUniform() - 1))
                    let a = rotation.rpy
                    let back = try Rotation(roll: a.roll, pitch: a.pitch, yaw: a.yaw)
                    #expect(back.maxAbsDifference(rotation) < 1e-12, "offset \(offset)")
                }
            }
        }
        // Exactly locked: the documented choice yaw = 0.
        let locked = try Rotation(roll: 0.3, pitch: Double.pi / 2, yaw: 0.2)
        #expect(locked.rpy.yaw == 0)
        #expect(abs(locked.rpy.roll - 0.1) < 1e-12)   // pitch +π/2 keeps roll − yaw
        let lockedDown = try Rotation(roll: 0.3, pitch: -Double.pi / 2, yaw: 0.2)
        #expect(abs(lockedDown.rpy.roll - 0.5) < 1e-12)   // pitch −π/2 keeps roll + yaw
    }

    @Test("Matrix ↔ quaternion ↔ rotation vector round trips on random rotations; results stay orthonormal")
    func conversionsRoundTrip() throws {
        var rng = SeededGenerator(seed: 4)
        for _ in 0..<1000 {
            let r = GeometrySamples.rotation(&rng)
            #expect(orthonormalityError(r) < 1e-14)
            #expect(abs(r.determinant - 1) < 1e-14)
            let q = Quaternion(rotation: r)
            #expect(q.w >= 0)
            #expect(q.rotation.maxAbsDifference(r) < 1e-14)
            let v = r.rotationVector
            #expect(v.norm <= Double.pi + 1e-12)
            let fromVector = try Rotation(rotationVector: v)
            #expect(fromVector.maxAbsDifference(r) < 1e-13)
            #expect(orthonormalityError(fromVector) < 1e-14)
            let qv = try Quaternion(rotationVector: v)
            #expect(qv.rotation.maxAbsDifference(r) < 1e-13)
            let a = r.rpy
            #expect(try Rotation(roll: a.roll, pitch: a.pitch, yaw: a.yaw).maxAbsDifference(r) < 1e-13)
        }
    }

    @Test("Rotation vectors near 0 and near π round trip")
    func rotationVectorExtremes() throws {
        var rng = SeededGenerator(seed: 5)
        let angles: [Double] = [0, 1e-300, 1e-12, 1e-9, 1e-6, 1e-4 * 0.999, 1e-4, 1e-4 * 1.001, 0.5,
                                Double.pi - 1e-3, Double.pi - 1e-6, Double.pi - 1e-9, Double.pi - 1e-12]
        for angle in angles {
            for _ in 0..<40 {
                let v = GeometrySamples.rotationVector(angle: angle, &rng)
                let r = try Rotation(rotationVector: v)
                #expect(orthonormalityError(r) < 1e-14)
                let back = r.rotationVector
                // The rotation is what must be reproduced (near π the vector's sign may flip).
                #expect(try Rotation(rotationVector: back).maxAbsDifference(r) < 1e-13, "angle \(angle)")
                if angle < 3 { #expect((back - v).norm < 1e-13 * max(1, angle), "angle \(angle)") }
            }
        }
        // Exact half-turn: angle π, the documented sign (first non-zero component positive).
        let half = try Rotation(rotationVector: Vector3(0, -Double.pi, 0)).rotationVector
        #expect(abs(half.y - Double.pi) < 1e-12 && abs(half.x) < 1e-12 && abs(half.z) < 1e-12)
    }

    @Test("Small-angle Rodrigues agrees with the first-order expansion I + [v]×")
    func smallAngleRodrigues() throws {
        let v = Vector3(1e-7, -2e-7, 3e-7)
        let r = try Rotation(rotationVector: v)
        #expect(abs(r.r21 - v.x) < 1e-13 && abs(r.r02 - v.y) < 1e-13 && abs(r.r10 - v.z) < 1e-13)
        #expect(abs(r.r00 - 1) < 1e-13)
    }

    @Test("Quaternion Hamilton product matches matrix composition; slerp endpoints and midpoint")
    func quaternionAlgebra() throws {
        var rng = SeededGenerator(seed: 6)
        for _ in 0..<200 {
            let a = GeometrySamples.rotation(&rng), b = GeometrySamples.rotation(&rng)
            let qa = Quaternion(rotation: a), qb = Quaternion(rotation: b)
            #expect((qa * qb).rotation.maxAbsDifference(a * b) < 1e-14)
            #expect((qa * qa.conjugate).rotation.maxAbsDifference(.identity) < 1e-14)
            #expect(try qa.slerp(to: qb, t: 0).rotation.maxAbsDifference(a) < 1e-13)
            #expect(try qa.slerp(to: qb, t: 1).rotation.maxAbsDifference(b) < 1e-13)
            let mid = try qa.slerp(to: qb, t: 0.5).rotation
            #expect(abs(a.angularDistance(to: mid) - mid.angularDistance(to: b)) < 1e-10)
        }
        let i = try Quaternion(w: 0, x: 1, y: 0, z: 0), j = try Quaternion(w: 0, x: 0, y: 1, z: 0)
        #expect((i * j).array.enumerated().allSatisfy { abs($0.element - [0, 0, 0, 1][$0.offset]) < 1e-15 })  // ij = k
    }

    @Test("Pose composition, inverse and point mapping agree with homogeneous 4×4 products")
    func poseAlgebra() throws {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<200 {
            let a = GeometrySamples.pose(&rng), b = GeometrySamples.pose(&rng)
            let point = Vector3(rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian())
            #expect(((a ∘ b).apply(point) - a.apply(b.apply(point))).norm < 1e-14)
            #expect((a ∘ a.inverse).maxAbsDifference(.identity) < 1e-14)
            #expect((a.inverse ∘ a).maxAbsDifference(.identity) < 1e-14)
            #expect((a ∘ a.displacement(to: b)).maxAbsDifference(b) < 1e-14)
            let ur = try Pose(urPose: a.urPose)
            #expect(ur.maxAbsDifference(a) < 1e-13)
            let rpy = try Pose(xyzRPY: a.xyzRPY)
            #expect(rpy.maxAbsDifference(a) < 1e-13)
        }
    }

    @Test("Bad input throws ValidationError naming the argument")
    func badInput() {
        #expect(throws: ValidationError.nonFinite(argument: "roll", index: 0, value: .infinity)) {
            try Rotation(roll: .infinity, pitch: 0, yaw: 0)
        }
        #expect { try Rotation(roll: 0, pitch: .nan, yaw: 0) } throws: { ($0 as? ValidationError)?.argument == "pitch" }
        #expect { try Rotation(rotationVector: Vector3(0, .nan, 0)) } throws: {
            ($0 as? ValidationError)?.argument == "rotationVector"
        }
        #expect { try Rotation(rowMajor: [1, 0, 0, 0, 1, 0, 0, 0]) } throws: {
            $0 as? ValidationError == .shapeMismatch(argument: "rowMajor", expected: "9 elements", actual: "8 elements")
        }
        #expect { try Rotation(rowMajor: [1, 0, 0, 0, 1, 0, 0, 0, -1]) } throws: {   // reflection
            ($0 as? ValidationError)?.argument == "rowMajor"
        }
        #expect { try Rotation(rowMajor: [2, 0, 0, 0, 1, 0, 0, 0, 1]) } throws: {   // not orthonormal
            ($0 as? ValidationError)?.argument == "rowMajor"
        }
        #expect { try Quaternion(w: 0, x: 0, y: 0, z: 0) } throws: { ($0 as? ValidationError)?.argument == "quaternion" }
        #expect { try Quaternion(w: 1, x: 1, y: 0, z: 0) } throws: { ($0 as? ValidationError)?.argument == "quaternion" }
        #expect { try Quaternion(normalizing: 0, x: 0, y: 0, z: 0) } throws: {
            ($0 as? ValidationError)?.argument == "quaternion"
        }
        #expect { try Quaternion(w: .nan, x: 0, y: 0, z: 0) } throws: { ($0 as? ValidationError)?.argument == "quaternion" }
        #expect { try Pose(urPose: [0, 0, 0, 0, 0]) } throws: { ($0 as? ValidationError)?.argument == "urPose" }
        #expect { try Pose(urPose: [0, .nan, 0, 0, 0, 0]) } throws: {
            ($0 as? ValidationError)?.argument == "urPose"
        }
        #expect { try Pose(xyzRPY: [0, 0, 0, 0, 0, .infinity]) } throws: { ($0 as? ValidationError)?.argument == "xyzRPY" }
        #expect { try Pose(position: Vector3(.nan, 0, 0), rotation: .identity) } throws: {
            ($0 as? ValidationError)?.argument == "position"
        }
        let q = try? Quaternion(w: 1, x: 0, y: 0, z: 0)
        #expect { try q?.slerp(to: .identity, t: .nan) } throws: { ($0 as? ValidationError)?.argument == "t" }
    }
}
