import BulletBridge
import ProphRLCore

/// The UR30e + two-finger gripper as a Bullet multibody built from the DH table: every link frame is
/// parallel to the base frame at q = 0, so each joint axis is the DH z axis of the previous frame at q = 0 and
/// each pivot is that frame's origin (simulator.md §3.1). Links 0–5 are the arm joints, 6 and 7 the
/// prismatic fingers.
public struct ArmModel: Sendable {
    /// Link masses of the UR30 (kg, robot.md §6.1); the gripper palm's 0.8 kg rides on wrist 3.
    public static let linkMasses: [Double] = [16.343, 28.542, 7.156, 3.054, 3.126, 0.926 + 0.8]
    /// Collider radii of the arm links (m).
    public static let linkRadii: [Double] = [0.09, 0.075, 0.06, 0.05, 0.05, 0.045]
    /// Flange → TCP distance (m): 10 cm palm, then the TCP 2 cm short of the 8 cm finger tips.
    public static let toolOffset = 0.16
    /// Finger stroke (m per finger); openness = 2 q / (2 · stroke).
    public static let fingerStroke = 0.05
    /// Finger pad half sizes along (closing axis, width, length) in the flange frame.
    public static let padHalf = Vector3(0.01, 0.02, 0.04)
    /// Finger squeeze force (N), simulator.md §4.
    public static let fingerForce = 40.0
    /// Arm motor force bound (N·m), simulator.md §3.3.
    public static let armMaxTorque = 2000.0
    /// Total links (6 arm + 2 fingers).
    public static let linkCount = 8

    /// The kinematics from the same DH table.
    public let kinematics = ArmKinematics(toolOffset: ArmModel.toolOffset)
    /// DH frame origins at q = 0 (o₀ … o₆).
    public let origins: [Vector3]
    /// Flange rotation at q = 0.
    public let flangeAtZero: Frame
    /// Link centre-of-mass positions at q = 0 (world = base frame).
    public let centres: [Vector3]
    /// Collider shapes per link, in link frames.
    public let linkShapes: [[ShapeSpec]]
    /// Collider shapes of the fixed base.
    public let baseShapes: [ShapeSpec]

    /// Builds the geometry.
    public init() {
        let frames = kinematics.frames([Double](repeating: 0, count: 6))
        origins = frames.map(\.p)
        flangeAtZero = frames[6]
        let flange = frames[6]
        var centres: [Vector3] = (0..<6).map { 0.5 * (frames[$0].p + frames[$0 + 1].p) }
        var shapes: [[ShapeSpec]] = (0..<6).map { i in
            let from = frames[i].p, to = frames[i + 1].p
            let length = (to - from).norm
            let r = ArmModel.linkRadii[i]
            return [ShapeSpec(kind: .box, halfExtents: Vector3(r, r, length / 2 + r * 0.5),
                              local: ArmModel.aligned(z: to - from, at: .zero))]
        }
        // Palm on wrist 3: 10 cm along the flange z, wide enough for the open fingers.
        let palmCentre = flange.p + 0.05 * flange.axis(2)
        shapes[5].append(ShapeSpec(kind: .box, halfExtents: ArmModel.mapHalf(Vector3(0.075, 0.035, 0.05), by: flange),
                                   local: Frame(r: Frame.identity.r, p: palmCentre - centres[5])))
        // Fingers: pivots on the tool axis at the pad centre, each pad's centre 1 cm outwards (pads touch at 0).
        let padCentre = flange.p + (ArmModel.toolOffset - 0.02) * flange.axis(2)
        centres.append(padCentre + 0.01 * flange.axis(0))
        centres.append(padCentre - 0.01 * flange.axis(0))
        let pad = ShapeSpec(kind: .box, halfExtents: ArmModel.mapHalf(ArmModel.padHalf, by: flange))
        shapes.append([pad])
        shapes.append([pad])
        self.centres = centres
        linkShapes = shapes
        baseShapes = [ShapeSpec(kind: .cylinder, halfExtents: Vector3(0.1, 0.1, 0.04),
                                local: Frame(r: Frame.identity.r, p: Vector3(0, 0, 0.04)))]
    }

    /// The gripper's closing axis at q = 0 (finger 6 opens along +x of the flange, finger 7 along −x).
    public var closingAxisAtZero: Vector3 { flangeAtZero.axis(0) }

    /// The pivot of the fingers at q = 0.
    var fingerPivot: Vector3 { flangeAtZero.p + (ArmModel.toolOffset - 0.02) * flangeAtZero.axis(2) }

    /// Adds the arm to `world` and returns its multibody index.
    /// - Throws: ``SimulatorError/bullet(what:)`` if Bullet rejects it.
    public func build(in world: BulletWorld) throws -> Int {
        var shapes: [ShapeSpec] = baseShapes
        let none = BBMaterial(lateralFriction: 1, spinningFriction: 0, rollingFriction: 0, restitution: 0)
        let base = BBBaseDesc(fixedBase: 1, mass: 4, inertia: (0.05, 0.05, 0.05), position: (0, 0, 0),
                              quaternion: (0, 0, 0, 1), shapeStart: 0, shapeCount: Int32(baseShapes.count),
                              material: none, group: CollisionGroup.arm, mask: CollisionGroup.objects)
        var links: [BBLinkDesc] = []
        for i in 0..<6 {
            let start = Int32(shapes.count)
            shapes.append(contentsOf: linkShapes[i])
            let parentCentre = i == 0 ? Vector3.zero : centres[i - 1]
            let axis = kinematicsAxis(i)
            let length = (origins[i + 1] - origins[i]).norm
            let inertia = ArmModel.rodInertia(mass: ArmModel.linkMasses[i], radius: ArmModel.linkRadii[i],
                                              length: length, direction: origins[i + 1] - origins[i])
            links.append(BBLinkDesc(jointType: Int32(BB_JOINT_REVOLUTE), parent: Int32(i - 1),
                                    mass: ArmModel.linkMasses[i], inertia: ArmModel.tuple(inertia),
                                    axis: ArmModel.tuple(axis),
                                    parentComToPivot: ArmModel.tuple(origins[i] - parentCentre),
                                    pivotToCom: ArmModel.tuple(centres[i] - origins[i]),
                                    lowerLimit: -2 * Double.pi, upperLimit: 2 * Double.pi,
                                    motorMaxForce: ArmModel.armMaxTorque, motorKp: 0.3, motorKd: 1.0,
                                    shapeStart: start, shapeCount: Int32(linkShapes[i].count),
                                    material: none, group: CollisionGroup.arm, mask: CollisionGroup.objects))
        }
        let pivot = fingerPivot
        let finger = BBMaterial(lateralFriction: 1, spinningFriction: 0.01, rollingFriction: 0, restitution: 0)
        for (index, sign) in [(6, 1.0), (7, -1.0)] {
            let start = Int32(shapes.count)
            shapes.append(contentsOf: linkShapes[index])
            let axis = sign * closingAxisAtZero
            let padInertia = ArmModel.mapHalf(Vector3(0.1 / 3 * (0.02 * 0.02 + 0.04 * 0.04),
                                                      0.1 / 3 * (0.01 * 0.01 + 0.04 * 0.04),
                                                      0.1 / 3 * (0.01 * 0.01 + 0.02 * 0.02)), by: flangeAtZero)
            links.append(BBLinkDesc(jointType: Int32(BB_JOINT_PRISMATIC), parent: 5, mass: 0.1,
                                    inertia: ArmModel.tuple(padInertia), axis: ArmModel.tuple(axis),
                                    parentComToPivot: ArmModel.tuple(pivot - centres[5]),
                                    pivotToCom: ArmModel.tuple(centres[index] - pivot),
                                    lowerLimit: 0, upperLimit: ArmModel.fingerStroke,
                                    motorMaxForce: ArmModel.fingerForce, motorKp: 0.1, motorKd: 1.0,
                                    shapeStart: start, shapeCount: 1, material: finger,
                                    group: CollisionGroup.fingers,
                                    mask: CollisionGroup.objects | CollisionGroup.furniture | CollisionGroup.articulated))
        }
        let index = try world.addMultiBody(base: base, links: links, shapes: shapes)
        // Without the gear the saturated finger motors let the pair drift sideways together (simulator.md §3.4).
        guard bb_add_gear(world.handle, Int32(index), 6, 7, -1, 0.1, 200) == 0 else {
            throw SimulatorError.bullet(what: "the finger gear constraint")
        }
        return index
    }

    /// Joint axis of arm joint `i` at q = 0: z of DH frame i.
    func kinematicsAxis(_ i: Int) -> Vector3 { kinematics.frames([Double](repeating: 0, count: 6))[i].axis(2) }

    /// The flange pose from the world pose of link 5 (wrist 3) as Bullet reports it.
    public func flange(fromWrist3 wrist: Frame) -> Frame {
        wrist.composed(with: Frame(r: flangeAtZero.r, p: origins[6] - centres[5]))
    }

    /// A frame at `origin` whose z axis points along `z`.
    static func aligned(z: Vector3, at origin: Vector3) -> Frame {
        let w = (1 / z.norm) * z
        let helper = abs(w.x) < 0.9 ? Vector3(1, 0, 0) : Vector3(0, 1, 0)
        let x0 = helper - w.dot(helper) * w
        let x = (1 / x0.norm) * x0
        let y = w.cross(x)
        return Frame(r: (x.x, y.x, w.x, x.y, y.y, w.y, x.z, y.z, w.z), p: origin)
    }

    /// Half sizes given along a frame's axes, re-expressed along the parent's axes (axis-aligned frames).
    static func mapHalf(_ h: Vector3, by frame: Frame) -> Vector3 {
        let r = frame.r
        return Vector3(abs(r.0) * h.x + abs(r.1) * h.y + abs(r.2) * h.z,
                       abs(r.3) * h.x + abs(r.4) * h.y + abs(r.5) * h.z,
                       abs(r.6) * h.x + abs(r.7) * h.y + abs(r.8) * h.z)
    }

    /// Diagonal inertia of a rod of `length` along `direction` (axis-aligned at q = 0).
    static func rodInertia(mass: Double, radius: Double, length: Double, direction: Vector3) -> Vector3 {
        let u = (1 / direction.norm) * direction
        let across = mass * (3 * radius * radius + length * length) / 12
        let along = mass * radius * radius / 2
        return Vector3(across * (1 - u.x * u.x) + along * u.x * u.x, across * (1 - u.y * u.y) + along * u.y * u.y,
                       across * (1 - u.z * u.z) + along * u.z * u.z)
    }

    static func tuple(_ v: Vector3) -> (Double, Double, Double) { (v.x, v.y, v.z) }
}
