import Foundation
import ProphRLCore

/// One episode of one task in a freshly built Bullet world (rebuilt per episode for determinism): Cartesian
/// control by damped-least-squares IK at the control rate with physics substeps, the task's success predicate,
/// and the scene for the camera.
public final class SimulationRun {
    /// The task.
    public let task: SimTask
    /// The seed of the layout.
    public let seed: UInt64
    /// The world.
    public let world: BulletWorld
    /// The arm model.
    public let model: ArmModel
    /// The arm's multibody index.
    public let arm: Int
    /// The task's objects.
    public let scene: TaskScene
    /// The envelope.
    public let envelope: ActionEnvelope
    /// Physics steps per control step.
    public let substeps: Int
    /// Action semantics (the paper's real-robot convention).
    public let semantics = ActionSemantics.absoluteDifference

    /// Control steps executed.
    public private(set) var stepCount = 0
    /// Action entries clipped by the envelope so far.
    public private(set) var clippedCount = 0
    /// The commanded TCP pose (integrates the actions).
    public private(set) var commandedPose: Pose
    /// Commanded gripper openness.
    public private(set) var commandedGripper: Double
    /// Current arm joint targets.
    public private(set) var jointTargets: [Double]
    /// Seconds the success condition has held without interruption.
    public private(set) var heldSeconds = 0.0
    /// Whether the task's predicate has been confirmed.
    public private(set) var succeeded = false

    /// The arm's starting joint positions (tool pointing down above the table).
    public static let homeJoints = [-0.1327, -1.5593, 2.0993, -2.1108, -Double.pi / 2, -0.1327]

    /// Builds the world for `task` with the layout drawn from `seed`.
    /// - Throws: ``SimulatorError`` if Bullet rejects the scene.
    public init(task: SimTask, seed: UInt64, controlRate: Double = 10, solverIterations: Int = 50,
                envelope: ActionEnvelope = .standard) throws {
        try Validate.positive(controlRate, "controlRate")
        self.task = task
        self.seed = seed
        self.envelope = envelope
        world = try BulletWorld(solverIterations: solverIterations)
        model = ArmModel()
        substeps = max(1, Int((1 / (controlRate * world.timeStep)).rounded()))
        arm = try model.build(in: world)
        scene = try TaskScene(task: task, layout: task.layout(seed: seed), world: world)
        let q = SimulationRun.homeJoints
        try world.reset(multibody: arm, positions: q + [ArmModel.fingerStroke, ArmModel.fingerStroke])
        try world.setTargets(multibody: arm, positions: q + [ArmModel.fingerStroke, ArmModel.fingerStroke],
                             velocities: [Double](repeating: 0, count: ArmModel.linkCount))
        jointTargets = q
        commandedPose = try model.kinematics.tool(q).pose
        commandedGripper = 1
        // Let objects settle on the table under the holding motors.
        world.step(60)
    }

    /// Joint positions of the 8 links (6 arm, 2 fingers).
    public var joints: [Double] { world.joints(multibody: arm, count: ArmModel.linkCount).positions }

    /// The measured TCP pose (from Bullet's link state).
    public var toolFrame: Frame {
        model.kinematics.toolFrame(flange: model.flange(fromWrist3: world.pose(multibody: arm, link: 5)))
    }

    /// Measured gripper openness: finger gap / 10 cm.
    public var gripperOpenness: Double {
        let q = joints
        return min(max((q[6] + q[7]) / (2 * ArmModel.fingerStroke), 0), 1)
    }

    /// The proprioceptive state (TCP pose, gripper openness, arm joints).
    public func robotState() throws -> RobotState {
        let q = joints
        return try RobotState(effectors: [EndEffectorState(pose: toolFrame.pose, gripper: gripperOpenness)],
                              jointPositions: Array(q[0..<6]))
    }

    /// Executes one 7-D action (`.absoluteDifference`): clips it to the envelope, integrates the commanded
    /// pose, solves IK and runs the physics substeps with interpolated joint targets.
    /// - Throws: ``ValidationError`` naming `action` for a wrong count or a non-finite entry.
    public func apply(_ values: [Double]) throws {
        try Validate.count(values.count, equals: EndEffectorAction.dimension, "action")
        try Validate.finite(values, "action")
        let (clippedValues, clipped) = envelope.clip(values)
        var clips = clipped
        let action = try EndEffectorAction(values: clippedValues)
        let next = semantics.pose(after: commandedPose, applying: action)
        let (position, moved) = envelope.clamp(next.position)
        if moved { clips += 1 }
        commandedPose = try Pose(position: position, rotation: next.rotation)
        commandedGripper = action.gripper
        clippedCount += clips

        let solution = model.kinematics.solve(target: Frame(commandedPose), seed: jointTargets, maxIterations: 30,
                                              positionTolerance: 1e-7, orientationTolerance: 1e-7)
        let previous = jointTargets
        // Keep the joints within ±2π (the model's limits); an unreachable target leaves the last good solution.
        if solution.q.allSatisfy({ $0.isFinite && abs($0) < 2 * Double.pi }) { jointTargets = solution.q }
        let period = Double(substeps) * world.timeStep
        let velocity = zip(jointTargets, previous).map { ($0 - $1) / period } + [0, 0]
        let finger = commandedGripper * ArmModel.fingerStroke
        for k in 1...substeps {
            let f = Double(k) / Double(substeps)
            let q = zip(previous, jointTargets).map { $0 + ($1 - $0) * f } + [finger, finger]
            try world.setTargets(multibody: arm, positions: q, velocities: k == substeps ? [Double](repeating: 0, count: 8) : velocity)
            world.step(1)
        }
        stepCount += 1
        updateSuccess(period: period)
    }

    /// Whether the episode is over (success or step limit).
    public var isDone: Bool { succeeded || stepCount >= task.stepLimit }

    /// Finger contacts with the manipulated object: (finger 6 points, finger 7 points).
    public var fingerContacts: (Int, Int) {
        (world.contacts(world.collider(multibody: arm, link: 6), scene.objectCollider, distance: 0.002),
         world.contacts(world.collider(multibody: arm, link: 7), scene.objectCollider, distance: 0.002))
    }

    /// Position, tilt (rad from upright) and whether the manipulated rigid object rests.
    public var objectStatus: (position: Vector3, tilt: Double, resting: Bool)? {
        guard let body = scene.objectBody else { return nil }
        let s = world.state(body: body)
        let up = s.pose.axis(2)
        return (s.pose.p, acos(min(max(up.z, -1), 1)), s.linear.norm < 0.01 && s.angular.norm < 0.1)
    }

    /// Tissue displacement along its joint (m).
    public var tissueDisplacement: Double {
        guard let tissue = scene.tissue else { return 0 }
        return world.joints(multibody: tissue, count: 1).positions[0]
    }

    /// The instantaneous predicate (before the 1 s confirmation of hold/placement tasks).
    public var predicateHolds: Bool {
        let contacts = fingerContacts
        let released = gripperOpenness > 0.3 && contacts.0 == 0 && contacts.1 == 0
        switch task {
        case .pickBottle:
            guard let s = objectStatus else { return false }
            return s.position.z >= scene.initialObjectPosition.z + 0.10 && contacts.0 > 0 && contacts.1 > 0
                && s.tilt < 15 * Double.pi / 180
        case .placeCube:
            guard let s = objectStatus, let target = scene.layout.target else { return false }
            let dxy = ((s.position.x - target.x) * (s.position.x - target.x) + (s.position.y - target.y) * (s.position.y - target.y)).squareRoot()
            return dxy <= 0.02 && abs(s.position.z - 0.025) <= 0.005 && s.resting && released
        case .placeBowl:
            guard let s = objectStatus, let target = scene.layout.target else { return false }
            let dxy = ((s.position.x - target.x) * (s.position.x - target.x) + (s.position.y - target.y) * (s.position.y - target.y)).squareRoot()
            return dxy <= 0.03 && s.tilt < 10 * Double.pi / 180 && abs(s.position.z - 0.025) <= 0.005 && s.resting && released
        case .pullTissue:
            return tissueDisplacement >= 0.10 || tissueDisplacement >= 0.20 - 1e-3
        }
    }

    func updateSuccess(period: Double) {
        guard !succeeded else { return }
        if predicateHolds { heldSeconds += period } else { heldSeconds = 0 }
        // Holding and placement are confirmed after 1 s; the tissue counts as soon as it is out.
        let needed = task == .pullTissue ? 0.0 : 1.0
        if heldSeconds >= needed - 1e-9 && heldSeconds > 0 { succeeded = true }
    }
}
