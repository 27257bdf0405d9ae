import RealModule
import Testing
@testable import ProphRLCore

@Suite("Action semantics, gripper and integration")
struct ActionSemanticsTests {
    /// A random trajectory: a mix of small tool motions, large jumps, yaw crossings of ±π and
    /// near-gimbal-lock orientations, so every branch of the conversions is exercised.
    /// With `nearGimbalLock` false the fourth kind of step keeps |pitch| ≤ 1.2 instead.
    func trajectory(_ length: Int, _ rng: inout SeededGenerator, nearGimbalLock: Bool = true) throws -> [Pose] {
        var poses = [GeometrySamples.pose(&rng)]
        for t in 1..<length {
            switch t % 4 {
            case 0: poses.append(GeometrySamples.pose(&rng))
            case 1:
                let step = try Pose(xyzRPY: (0..<6).map { _ in 0.05 * rng.nextGaussian() })
                poses.append(poses[t - 1] ∘ step)
            case 2:
                let yaw = (rng.nextUniform() < 0.5 ? 1.0 : -1.0) * (Double.pi - 1e-3 * rng.nextUniform())
                poses.append(try Pose(xyzRPY: [rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian(),
                                               Double.pi * (2 * rng.nextUniform() - 1), 0.3 * rng.nextGaussian(), yaw]))
            default:
                let sign = rng.nextUniform() < 0.5 ? 1.0 : -1.0
                let pitch = nearGimbalLock ? sign * (Double.pi / 2 - 1e-7 * rng.nextUniform()) : 1.2 * sign * rng.nextUniform()
                poses.append(try Pose(xyzRPY: [rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian(),
                                               rng.nextGaussian(), pitch, rng.nextGaussian()]))
            }
        }
        return poses
    }

    /// 4×4 homogeneous matrix of a pose, built independently of `Pose`'s own algebra.
    func homogeneous(_ pose: Pose) -> [[Double]] {
        let r = pose.rotation, p = pose.position
        return [[r[0, 0], r[0, 1], r[0, 2], p.x], [r[1, 0], r[1, 1], r[1, 2], p.y],
                [r[2, 0], r[2, 1], r[2, 2], p.z], [0, 0, 0, 1]]
    }

    func multiply(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
        (0..<4).map { i in (0..<4).map { j in (0..<4).reduce(0) { $0 + a[i][$1] * b[$1][j] } } }
    }

    func maxDifference(_ a: [[Double]], _ b: [[Double]]) -> Double {
        zip(a.joined(), b.joined()).map { abs($0 - $1) }.max() ?? 0
    }

    @Test("Every semantics round-trips poses → actions → poses to 1e-9", arguments: ActionSemantics.allCases)
    func roundTrip(semantics: ActionSemantics) throws {
        var rng = SeededGenerator(seed: 11)
        for _ in 0..<20 {
            let poses = try trajectory(50, &rng)
            let grippers = poses.map { _ in rng.nextUniform() }
            let actions = try semantics.actions(from: poses, grippers: grippers)
            #expect(actions.count == poses.count - 1)
            #expect(actions.map(\.gripper) == Array(grippers.dropFirst()))
            let rebuilt = try semantics.poses(from: actions, initial: poses[0])
            #expect(rebuilt.count == poses.count)
            let worst = zip(rebuilt, poses).map { $0.maxAbsDifference($1) }.max() ?? .infinity
            #expect(worst < 1e-9, "\(semantics): worst difference \(worst)")
        }
    }

    @Test("Local delta: T_{t−1} · T(Δ_t) = T_t as 4×4 products, and the delta is in the tool frame")
    func localDeltaIsToolFrame() throws {
        var rng = SeededGenerator(seed: 12)
        let poses = try trajectory(40, &rng)
        let actions = try ActionSemantics.localDelta.actions(from: poses, grippers: poses.map { _ in 1 })
        for (t, action) in actions.enumerated() {
            let delta = try Pose(xyzRPY: Array(action.values.prefix(6)))
            let product = multiply(homogeneous(poses[t]), homogeneous(delta))
            #expect(maxDifference(product, homogeneous(poses[t + 1])) < 1e-12)
        }
        // Tool yawed 90°: moving +1 m along world y is +1 m along the tool's x axis.
        let start = try Pose(xyzRPY: [0, 0, 0, 0, 0, Double.pi / 2])
        let end = try Pose(xyzRPY: [0, 1, 0, 0, 0, Double.pi / 2])
        let step = try ActionSemantics.localDelta.action(from: start, to: end, gripper: 0.5)
        #expect(abs(step.x - 1) < 1e-15 && abs(step.y) < 1e-15 && abs(step.z) < 1e-15)
        #expect(abs(step.roll) < 1e-15 && abs(step.pitch) < 1e-15 && abs(step.yaw) < 1e-15)
    }

    @Test("Servo passes the target pose through; absolute difference wraps angle steps to [−π, π)")
    func servoAndAbsoluteDifference() throws {
        let a = try Pose(xyzRPY: [0.1, 0.2, 0.3, 0.4, 0.5, 3.1])
        let b = try Pose(xyzRPY: [0.2, 0.1, 0.5, -0.4, 0.25, -3.1])
        let servo = try ActionSemantics.servo.action(from: a, to: b, gripper: 0.25)
        let expected = [0.2, 0.1, 0.5, -0.4, 0.25, -3.1, 0.25]
        #expect(zip(servo.values, expected).allSatisfy { abs($0 - $1) < 1e-12 })
        let diff = try ActionSemantics.absoluteDifference.action(from: a, to: b, gripper: 1)
        let expectedDiff = [0.1, -0.1, 0.2, -0.8, -0.25, 2 * Double.pi - 6.2, 1]
        #expect(zip(diff.values, expectedDiff).allSatisfy { abs($0 - $1) < 1e-12 }, "\(diff.values)")
        #expect(ActionSemantics.wrap(Double.pi) == -Double.pi)
        #expect(abs(ActionSemantics.wrap(7) - (7 - 2 * Double.pi)) < 1e-15)
        #expect(abs(ActionSemantics.wrap(-4) - (-4 + 2 * Double.pi)) < 1e-15)
    }

    @Test("Zero actions keep the pose for the delta semantics")
    func zeroActionIsNoOp() throws {
        var rng = SeededGenerator(seed: 13)
        let start = GeometrySamples.pose(&rng)
        for semantics in [ActionSemantics.localDelta, .absoluteDifference] {
            let poses = try semantics.poses(from: Array(repeating: try .zero(gripper: 1), count: 10), initial: start)
            #expect(poses.allSatisfy { $0.maxAbsDifference(start) < 1e-12 })
        }
    }

    @Test("Gripper: clamped to [0, 1], widths normalised, NaN and infinity rejected")
    func gripperClamp() throws {
        #expect(try Gripper.normalized(-0.2) == 0)
        #expect(try Gripper.normalized(1.7) == 1)
        #expect(try Gripper.normalized(0.375) == 0.375)
        #expect(try Gripper.openness(width: 0.0425, maxWidth: 0.085) == 0.5)
        #expect(try Gripper.openness(width: 0.1, maxWidth: 0.085) == 1)
        #expect(throws: ValidationError.nonFinite(argument: "gripper", index: 0, value: .infinity)) {
            try Gripper.normalized(.infinity)
        }
        #expect { try Gripper.normalized(.nan) } throws: { ($0 as? ValidationError)?.argument == "gripper" }
        #expect { try Gripper.openness(width: 0.01, maxWidth: 0) } throws: { ($0 as? ValidationError)?.argument == "maxWidth" }
        #expect { try EndEffectorState(pose: .identity, gripper: .nan) } throws: {
            ($0 as? ValidationError)?.argument == "gripper"
        }
        #expect(try EndEffectorState(pose: .identity, gripper: 3).gripper == 1)
    }

    @Test("Integrator equals poses(from:) applied step by step, for each effector and semantics",
          arguments: ActionSemantics.allCases)
    func integratorMatchesStepwise(semantics: ActionSemantics) throws {
        var rng = SeededGenerator(seed: 14)
        let effectors = 2, maxEffectors = 3, steps = 20
        // Each effector follows its own random trajectory; the chunk stores its actions as Float.
        var trajectories: [[Pose]] = []
        var actionRows = [[EndEffectorAction]](repeating: [], count: steps)
        for _ in 0..<effectors {
            // Away from gimbal lock: there Euler differences are ill-conditioned, and Float storage
            // of absolute-difference actions would legitimately drift (docs/actions-and-metrics.md).
            let poses = try trajectory(steps + 1, &rng, nearGimbalLock: false)
            let actions = try semantics.actions(from: poses, grippers: poses.map { _ in 1.4 * rng.nextUniform() - 0.2 })
            trajectories.append(poses)
            for c in 0..<steps { actionRows[c].append(actions[c]) }
        }
        let chunk = try ActionChunk(actions: actionRows, maxEffectors: maxEffectors)
        let initial = try RobotState(effectors: trajectories.map { try EndEffectorState(pose: $0[0], gripper: 1) },
                                     jointPositions: [0, -1.57, 1.57, -1.57, -1.57, 0])
        let targets = try ActionIntegrator(semantics: semantics).integrate(chunk, from: initial)
        #expect(targets.count == steps)
        #expect(targets.allSatisfy { $0.jointPositions == nil && $0.effectors.count == effectors })
        for e in 0..<effectors {
            // Reference: the Float-rounded actions read back from the chunk, integrated by poses(from:).
            let stored = try (0..<steps).map { try #require(try chunk.action(step: $0, effector: e)) }
            let reference = try semantics.poses(from: stored, initial: trajectories[e][0])
            for c in 0..<steps {
                #expect(targets[c].effectors[e].pose.maxAbsDifference(reference[c + 1]) < 1e-12)
                #expect(targets[c].effectors[e].gripper == min(max(stored[c].gripper, 0), 1))
            }
            // Float storage keeps the integrated trajectory close to the true one.
            let drift = zip(reference, trajectories[e]).map { $0.maxAbsDifference($1) }.max() ?? .infinity
            #expect(drift < 1e-4 * Double(steps))
        }
    }

    @Test("Bad input throws ValidationError naming the argument")
    func badInput() throws {
        let semantics = ActionSemantics.localDelta
        #expect(throws: ValidationError.empty(argument: "poses")) { try semantics.actions(from: [], grippers: []) }
        #expect { try semantics.actions(from: [.identity, .identity], grippers: [1]) } throws: {
            ($0 as? ValidationError)?.argument == "grippers"
        }
        #expect { try semantics.actions(from: [.identity, .identity], grippers: [1, .nan]) } throws: {
            ($0 as? ValidationError)?.argument == "grippers"
        }
        #expect(throws: ValidationError.empty(argument: "actions")) { try semantics.poses(from: [], initial: .identity) }
        #expect { try EndEffectorAction(x: 0, y: 0, z: .nan, roll: 0, pitch: 0, yaw: 0, gripper: 1) } throws: {
            ($0 as? ValidationError)?.argument == "z"
        }
        #expect { try EndEffectorAction(x: 0, y: 0, z: 0, roll: 0, pitch: 0, yaw: 0, gripper: .nan) } throws: {
            ($0 as? ValidationError)?.argument == "gripper"
        }
        #expect { try EndEffectorAction(values: [0, 0, 0]) } throws: { ($0 as? ValidationError)?.argument == "values" }
        #expect(throws: ValidationError.empty(argument: "effectors")) { try RobotState(effectors: []) }
        let state = try EndEffectorState(pose: .identity, gripper: 1)
        #expect { try RobotState(effectors: [state], jointPositions: [0, .nan]) } throws: {
            ($0 as? ValidationError)?.argument == "jointPositions"
        }
        let chunk = try ActionChunk(actions: [[.zero(gripper: 1)]], maxEffectors: 2)
        let twoArms = try RobotState(effectors: [state, state])
        #expect { try ActionIntegrator(semantics: .servo).integrate(chunk, from: twoArms) } throws: {
            ($0 as? ValidationError)?.argument == "initial"
        }
    }
}
