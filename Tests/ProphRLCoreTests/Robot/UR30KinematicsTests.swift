import ProphRLCore
import ProphRLTesting
import Testing

/// FK against the spec's published check values, Jacobian against finite differences, IK round trips.
@Suite("UR30 kinematics")
struct UR30KinematicsTests {
    static let halfPi = Double.pi / 2
    let kinematics = UR30Kinematics()

    static func close(_ a: [Double], _ b: [Double], atol: Double) -> Bool {
        Tolerance.firstMismatch(a, b, rtol: 0, atol: atol) == nil
    }

    @Test("FK at the zero pose matches the published UR30 value")
    func zeroPose() throws {
        let pose = try kinematics.forward([0, 0, 0, 0, 0, 0])
        #expect(Self.close(pose, [-1.1407, -0.3553, 0.0770, 1.5708, 0, 0], atol: 1e-4), "\(pose)")
    }

    @Test("FK matches the upright and tool-down check values (rotations compared as matrices)")
    func checkValues() throws {
        let cases: [([Double], [Double], [Double])] = [
            ([0, -Self.halfPi, 0, -Self.halfPi, 0, 0], [0, -0.3553, 1.5363], [0, 2.2214, -2.2214]),
            ([0, -Self.halfPi, Self.halfPi, -Self.halfPi, -Self.halfPi, 0], [-0.6630, -0.2010, 0.7190], [2.2214, 2.2214, 0]),
        ]
        for (q, position, rotationVector) in cases {
            let flange = try kinematics.flange(q)
            #expect(Self.close(flange.translation, position, atol: 1e-4), "\(flange.translation)")
            #expect(Self.close(flange.rotation, HomogeneousTransform.matrix(rotationVector: rotationVector), atol: 1e-4))
            // The rotation vector of a π rotation is defined up to sign.
            let rv = flange.pose.suffix(3).map { $0 }
            #expect(Self.close(rv, rotationVector, atol: 1e-4) || Self.close(rv.map { -$0 }, rotationVector, atol: 1e-4))
        }
    }

    @Test("The same code with UR5e DH gives the published UR5e zero pose")
    func ur5eCrossCheck() throws {
        let ur5e = try UR30Kinematics(parameters: .ur5e)
        let pose = try ur5e.forward([0, 0, 0, 0, 0, 0])
        #expect(Self.close(Array(pose[0..<3]), [-0.8172, -0.2329, 0.0628], atol: 1e-4))
    }

    @Test("The geometric Jacobian's linear rows match finite differences of FK")
    func jacobian() throws {
        let q = [0.3, -1.2, 1.4, -1.1, -1.5, 0.4]
        let jacobian = try kinematics.jacobian(q)
        for axis in 0..<3 {
            let numeric = try FiniteDifference.gradient(of: { try kinematics.forward($0)[axis] }, at: q)
            #expect(Self.close(Array(jacobian[(6 * axis)..<(6 * axis + 6)]), numeric, atol: 1e-6))
        }
    }

    @Test("IK recovers joints from FK near a seed, with a TCP offset too")
    func inverse() throws {
        var rng = SeededGenerator(seed: 11)
        let tool = try UR30Kinematics(tcpOffset: [0, 0, 0.15, 0, 0, 0])
        for model in [kinematics, tool] {
            for _ in 0..<20 {
                let q = [0.2, -1.3, 1.5, -1.6, -1.5, 0.3].map { $0 + 0.4 * (rng.nextUniform() - 0.5) }
                let pose = try model.forward(q)
                let seed = q.map { $0 + 0.05 * (rng.nextUniform() - 0.5) }
                let solved = try model.inverse(pose: pose, seed: seed)
                #expect(Self.close(try model.forward(solved), pose, atol: 1e-6))
            }
        }
        #expect(throws: KinematicsError.self) {
            try kinematics.inverse(pose: [5, 5, 5, 0, 0, 0], seed: [0, -1, 1, -1, -1, 0], maxIterations: 50)
        }
    }

    @Test("Rotation vectors survive matrix round trips, including angles near π")
    func rotationVectors() {
        var rng = SeededGenerator(seed: 3)
        for _ in 0..<200 {
            var axis = (0..<3).map { _ in rng.nextGaussian() }
            let norm = (axis.reduce(0) { $0 + $1 * $1 }).squareRoot()
            axis = axis.map { $0 / norm }
            let nearPi = rng.next() % 4 == 0
            let angle = nearPi ? Double.pi - 1e-8 * rng.nextUniform() : (Double.pi - 1e-5) * rng.nextUniform()
            let v = axis.map { $0 * angle }
            let r = HomogeneousTransform.matrix(rotationVector: v)
            let back = HomogeneousTransform.rotationVector(matrix: r)
            // Near π the axis comes from the symmetric part, accurate to O(π − angle).
            #expect(Self.close(HomogeneousTransform.matrix(rotationVector: back), r, atol: nearPi ? 1e-7 : 1e-10))
            if !nearPi { #expect(Self.close(back, v, atol: 1e-9)) }
        }
    }

    @Test("Bad joint vectors are refused with a typed error")
    func validation() {
        #expect(throws: ValidationError.shapeMismatch(argument: "q", expected: "6 elements", actual: "5 elements")) {
            try kinematics.forward([0, 0, 0, 0, 0])
        }
        #expect(throws: ValidationError.self) { try kinematics.forward([0, .nan, 0, 0, 0, 0]) }
    }
}
