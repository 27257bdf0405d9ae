import BulletBridge
import Foundation
import ProphRLCore

/// A body as the renderer sees it: shapes in the body frame, colour, texture and segmentation id.
public struct VisualBody: Sendable, Equatable {
    /// Collider-like primitives in the body frame.
    public var shapes: [ShapeSpec]
    /// Base colour.
    public var colour: Vector3
    /// Procedural texture.
    public var texture: ScenePrimitive.Texture
    /// Segmentation id.
    public var segment: UInt8
}

/// The objects of one task in one world: the table, the task's bodies and markers, with their ids.
public struct TaskScene {
    /// Segmentation ids.
    public enum Segment {
        /// Table.
        public static let table: UInt8 = 1
        /// Arm links.
        public static let arm: UInt8 = 2
        /// Fingers.
        public static let gripper: UInt8 = 3
        /// The manipulated object.
        public static let object: UInt8 = 4
        /// Target marker or container.
        public static let target: UInt8 = 5
    }

    /// The task.
    public let task: SimTask
    /// Its layout.
    public let layout: TaskLayout
    /// Rigid body index of the manipulated object (bottle, cube, bowl), if any.
    public let objectBody: Int?
    /// Multibody index of the tissue, if any.
    public let tissue: Int?
    /// Collider of the manipulated part (object or tissue plate).
    public let objectCollider: Int
    /// Rendered rigid bodies: (body index, visual), static ones included.
    public let bodies: [(body: Int, visual: VisualBody)]
    /// Visual-only markers in the world frame.
    public let markers: [ScenePrimitive]
    /// The tissue plate's visual (in its link frame).
    public let tissueVisual: VisualBody?
    /// Initial centre of the manipulated object.
    public let initialObjectPosition: Vector3

    static let objectMask = CollisionGroup.furniture | CollisionGroup.arm | CollisionGroup.fingers | CollisionGroup.objects
    static let furnitureMask = CollisionGroup.objects | CollisionGroup.fingers

    /// Builds the table and the task's objects into `world`.
    /// - Throws: ``SimulatorError/bullet(what:)`` if Bullet rejects a body.
    public init(task: SimTask, layout: TaskLayout, world: BulletWorld) throws {
        self.task = task
        self.layout = layout
        var bodies: [(Int, VisualBody)] = []
        var markers: [ScenePrimitive] = []
        let tableShapes = [ShapeSpec(kind: .box, halfExtents: Vector3(0.9, 0.9, 0.05))]
        let table = try world.addBody(shapes: tableShapes, mass: 0, pose: Frame(r: Frame.identity.r, p: Vector3(-0.45, 0, -0.05)),
                                      friction: 1, group: CollisionGroup.furniture, mask: TaskScene.furnitureMask)
        bodies.append((table, VisualBody(shapes: tableShapes, colour: Vector3(0.62, 0.5, 0.36),
                                         texture: .checker(size: 0.05), segment: Segment.table)))
        let yawFrame = { (z: Double) in
            Frame(r: (cos(layout.objectYaw), -sin(layout.objectYaw), 0, sin(layout.objectYaw), cos(layout.objectYaw), 0, 0, 0, 1),
                  p: Vector3(layout.object.x, layout.object.y, z))
        }
        var objectBody: Int?
        var tissue: Int?
        var objectCollider = -1
        var tissueVisual: VisualBody?
        var initial = layout.object
        switch task {
        case .pickBottle:
            let shapes = [ShapeSpec(kind: .cylinder, halfExtents: Vector3(0.033, 0.033, 0.10))]
            let pose = yawFrame(0.10)
            let body = try world.addBody(shapes: shapes, mass: 0.4, pose: pose, friction: 1, spinning: 0.005,
                                         group: CollisionGroup.objects, mask: TaskScene.objectMask)
            bodies.append((body, VisualBody(shapes: shapes, colour: Vector3(0.15, 0.55, 0.25), texture: .stripes(period: 0.03),
                                            segment: Segment.object)))
            objectBody = body
            initial = pose.p
        case .placeCube:
            let shapes = [ShapeSpec(kind: .box, halfExtents: Vector3(0.025, 0.025, 0.025))]
            let pose = yawFrame(0.025)
            let body = try world.addBody(shapes: shapes, mass: 0.1, pose: pose, friction: 1, spinning: 0.005,
                                         group: CollisionGroup.objects, mask: TaskScene.objectMask)
            bodies.append((body, VisualBody(shapes: shapes, colour: Vector3(0.8, 0.15, 0.12), texture: .checker(size: 0.0125),
                                            segment: Segment.object)))
            objectBody = body
            initial = pose.p
        case .placeBowl:
            var shapes = [ShapeSpec(kind: .cylinder, halfExtents: Vector3(0.05, 0.05, 0.005),
                                    local: Frame(r: Frame.identity.r, p: Vector3(0, 0, -0.02)))]
            for k in 0..<16 {
                let angle = Double(k) * 2 * Double.pi / 16
                let c = cos(angle), s = sin(angle)
                // The wall stops 2 mm above the table so the bowl rests on its base only (16 fewer contacts).
                shapes.append(ShapeSpec(kind: .box, halfExtents: Vector3(0.0025, 0.0158, 0.029),
                                        local: Frame(r: (c, -s, 0, s, c, 0, 0, 0, 1), p: Vector3(0.0775 * c, 0.0775 * s, 0.006)),
                                        margin: 0.001))
            }
            // Body origin 2.5 cm above the table: the base disk spans 0–1 cm, the wall 0.2–6 cm.
            let pose = yawFrame(0.025)
            let body = try world.addBody(shapes: shapes, mass: 0.25, pose: pose, friction: 1, spinning: 0.005,
                                         group: CollisionGroup.objects, mask: TaskScene.objectMask)
            bodies.append((body, VisualBody(shapes: shapes, colour: Vector3(0.9, 0.85, 0.3), texture: .speckle(size: 0.01),
                                            segment: Segment.object)))
            objectBody = body
            initial = pose.p
        case .pullTissue:
            let boxShapes = [ShapeSpec(kind: .box, halfExtents: Vector3(0.12, 0.06, 0.045))]
            let box = try world.addBody(shapes: boxShapes, mass: 0, pose: yawFrame(0.045), friction: 1,
                                        group: CollisionGroup.furniture, mask: TaskScene.furnitureMask)
            bodies.append((box, VisualBody(shapes: boxShapes, colour: Vector3(0.2, 0.35, 0.75), texture: .stripes(period: 0.04),
                                           segment: Segment.target)))
            // Plate 12 × 0.3 × 15 cm, top 6 cm above the slot (box top at 9 cm): centre at z = 0.075.
            let plate = ShapeSpec(kind: .box, halfExtents: Vector3(0.06, 0.0015, 0.075), margin: 0.001)
            let start = yawFrame(0.075)
            let q = start.quaternion
            let base = BBBaseDesc(fixedBase: 1, mass: 1, inertia: (0.01, 0.01, 0.01), position: (start.p.x, start.p.y, start.p.z),
                                  quaternion: q, shapeStart: 0, shapeCount: 0,
                                  material: BBMaterial(lateralFriction: 1, spinningFriction: 0, rollingFriction: 0, restitution: 0),
                                  group: 0, mask: 0)
            let link = BBLinkDesc(jointType: Int32(BB_JOINT_PRISMATIC), parent: -1, mass: 0.005,
                                  inertia: (0.005 * (0.0003 * 0.0003 + 0.15 * 0.15) / 12, 0.005 * (0.12 * 0.12 + 0.15 * 0.15) / 12,
                                            0.005 * (0.12 * 0.12 + 0.0003 * 0.0003) / 12),
                                  axis: (0, 0, 1), parentComToPivot: (0, 0, 0), pivotToCom: (0, 0, 0),
                                  lowerLimit: 0, upperLimit: 0.20, motorMaxForce: 0.3, motorKp: 0, motorKd: 1,
                                  shapeStart: 0, shapeCount: 1,
                                  material: BBMaterial(lateralFriction: 1, spinningFriction: 0.01, rollingFriction: 0, restitution: 0),
                                  group: CollisionGroup.articulated, mask: CollisionGroup.fingers | CollisionGroup.arm)
            let index = try world.addMultiBody(base: base, links: [link], shapes: [plate])
            tissue = index
            objectCollider = world.collider(multibody: index, link: 0)
            tissueVisual = VisualBody(shapes: [plate], colour: Vector3(0.95, 0.95, 0.93), texture: .speckle(size: 0.008),
                                      segment: Segment.object)
            initial = start.p
        }
        if let body = objectBody { objectCollider = world.collider(body: body) }
        if let target = layout.target {
            let radius = task == .placeCube ? 0.04 : 0.05
            markers.append(ScenePrimitive(geometry: .disk(radius: radius),
                                          pose: try Pose(position: Vector3(target.x, target.y, 0.0005), rotation: .identity),
                                          colour: Vector3(0.95, 0.95, 0.95), texture: .checker(size: 0.01),
                                          segment: Segment.target))
        }
        self.objectBody = objectBody
        self.tissue = tissue
        self.objectCollider = objectCollider
        self.bodies = bodies
        self.markers = markers
        self.tissueVisual = tissueVisual
        self.initialObjectPosition = initial
    }
}
