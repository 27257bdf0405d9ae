import BulletBridge
import ProphRLCore

/// Errors of the Bullet simulator adapter.
public enum SimulatorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Bullet rejected a world, body or call; `what` names it.
    case bullet(what: String)
    /// A task name is not one of the simulator's tasks.
    case unknownTask(name: String, known: [String])
    /// A step was requested before `reset`.
    case notReset

    /// A one-line message.
    public var description: String {
        switch self {
        case .bullet(let what): return "Bullet rejected \(what)"
        case .unknownTask(let name, let known):
            return "unknown task '\(name)'; expected one of \(known.joined(separator: ", "))"
        case .notReset: return "the environment must be reset before stepping"
        }
    }
}

/// One collision primitive in its owner's frame.
public struct ShapeSpec: Sendable, Equatable {
    /// Box or z-cylinder.
    public enum Kind: Sendable, Equatable { case box, cylinder }
    /// The primitive kind.
    public var kind: Kind
    /// Box half sizes, or (radius, radius, half height) for a cylinder.
    public var halfExtents: Vector3
    /// Placement in the owner's frame.
    public var local: Frame
    /// Collision margin (m); 0 keeps Bullet's default.
    public var margin: Double

    /// Creates a primitive.
    public init(kind: Kind, halfExtents: Vector3, local: Frame = .identity, margin: Double = 0) {
        self.kind = kind
        self.halfExtents = halfExtents
        self.local = local
        self.margin = margin
    }

    /// The bridge descriptor.
    var bridge: BBShape {
        let q = local.quaternion
        return BBShape(kind: kind == .box ? Int32(BB_SHAPE_BOX) : Int32(BB_SHAPE_CYLINDER_Z),
                       halfExtents: (halfExtents.x, halfExtents.y, halfExtents.z),
                       position: (local.p.x, local.p.y, local.p.z), quaternion: q, margin: margin)
    }
}

/// Collision groups: which families of colliders touch which.
public enum CollisionGroup {
    /// Table and other static furniture.
    public static let furniture: Int32 = 1
    /// Arm links.
    public static let arm: Int32 = 2
    /// Finger pads.
    public static let fingers: Int32 = 4
    /// Free task objects.
    public static let objects: Int32 = 8
    /// Articulated task parts (the tissue).
    public static let articulated: Int32 = 16
}

/// Owns one Bullet world (and frees it on deinit). Not thread-safe; one owner at a time.
public final class BulletWorld {
    let handle: OpaquePointer
    /// The fixed physics time step (s).
    public let timeStep: Double

    /// Creates a world with simulator.md §2's settings.
    /// - Throws: ``SimulatorError/bullet(what:)`` if Bullet rejects the configuration.
    public init(timeStep: Double = 1.0 / 240.0, solverIterations: Int = 50) throws {
        var config = BBWorldConfig(timeStep: timeStep, solverIterations: Int32(solverIterations), gravityZ: -9.81,
                                   erp2: 0.08, frictionERP: 0.2, linearSlop: 1e-5, warmstartingFactor: 0.1,
                                   leastSquaresResidualThreshold: 1e-7)
        guard let world = bb_world_create(&config) else { throw SimulatorError.bullet(what: "world configuration") }
        handle = world
        self.timeStep = timeStep
    }

    deinit { bb_world_destroy(handle) }

    /// Advances by `steps` fixed time steps.
    public func step(_ steps: Int = 1) { bb_world_step(handle, Int32(steps)) }

    /// Adds a rigid body (mass 0 = static); returns its index.
    /// - Throws: ``SimulatorError/bullet(what:)`` for invalid shapes or values.
    public func addBody(shapes: [ShapeSpec], mass: Double, pose: Frame, friction: Double, spinning: Double = 0,
                        rolling: Double = 0, group: Int32, mask: Int32) throws -> Int {
        let q = pose.quaternion
        var desc = BBBodyDesc(mass: mass, position: (pose.p.x, pose.p.y, pose.p.z), quaternion: q, shapeStart: 0,
                              shapeCount: Int32(shapes.count),
                              material: BBMaterial(lateralFriction: friction, spinningFriction: spinning,
                                                   rollingFriction: rolling, restitution: 0),
                              group: group, mask: mask)
        let bridged = shapes.map(\.bridge)
        let index = bridged.withUnsafeBufferPointer { bb_add_body(handle, &desc, $0.baseAddress, Int32($0.count)) }
        guard index >= 0 else { throw SimulatorError.bullet(what: "a rigid body") }
        return Int(index)
    }

    /// Adds a multibody; returns its index.
    /// - Throws: ``SimulatorError/bullet(what:)`` for invalid links or shapes.
    public func addMultiBody(base: BBBaseDesc, links: [BBLinkDesc], shapes: [ShapeSpec]) throws -> Int {
        var base = base
        let bridged = shapes.map(\.bridge)
        let index = links.withUnsafeBufferPointer { l in
            bridged.withUnsafeBufferPointer { s in
                bb_add_multibody(handle, &base, l.baseAddress, Int32(l.count), s.baseAddress, Int32(s.count))
            }
        }
        guard index >= 0 else { throw SimulatorError.bullet(what: "a multibody") }
        return Int(index)
    }

    /// The collider id of a rigid body.
    public func collider(body: Int) -> Int { Int(bb_body_collider(handle, Int32(body))) }

    /// The collider id of a multibody link (-1 = base).
    public func collider(multibody: Int, link: Int) -> Int {
        Int(bb_multibody_collider(handle, Int32(multibody), Int32(link)))
    }

    /// Position, orientation and velocities of a rigid body.
    public func state(body: Int) -> (pose: Frame, linear: Vector3, angular: Vector3) {
        var s = BBBodyState()
        _ = bb_body_state(handle, Int32(body), &s)
        return (Frame(quaternion: s.quaternion, position: Vector3(s.position.0, s.position.1, s.position.2)),
                Vector3(s.linearVelocity.0, s.linearVelocity.1, s.linearVelocity.2),
                Vector3(s.angularVelocity.0, s.angularVelocity.1, s.angularVelocity.2))
    }

    /// Sets joint positions with zero velocity.
    /// - Throws: ``SimulatorError/bullet(what:)`` for a wrong count or non-finite values.
    public func reset(multibody: Int, positions: [Double]) throws {
        guard bb_multibody_reset(handle, Int32(multibody), positions, Int32(positions.count)) == 0 else {
            throw SimulatorError.bullet(what: "joint positions \(positions)")
        }
    }

    /// Sets motor targets (positions and velocity feed-forward), one per link.
    /// - Throws: ``SimulatorError/bullet(what:)`` for a wrong count or non-finite values.
    public func setTargets(multibody: Int, positions: [Double], velocities: [Double]) throws {
        guard bb_multibody_set_targets(handle, Int32(multibody), positions, velocities, Int32(positions.count)) == 0
        else { throw SimulatorError.bullet(what: "motor targets \(positions)") }
    }

    /// Joint positions and velocities, one per link.
    public func joints(multibody: Int, count: Int) -> (positions: [Double], velocities: [Double]) {
        var q = [Double](repeating: 0, count: count), v = [Double](repeating: 0, count: count)
        _ = bb_multibody_joints(handle, Int32(multibody), &q, &v, Int32(count))
        return (q, v)
    }

    /// World pose of a link's centre-of-mass frame (-1 = base).
    public func pose(multibody: Int, link: Int) -> Frame {
        var p = (0.0, 0.0, 0.0), q = (0.0, 0.0, 0.0, 1.0)
        withUnsafeMutablePointer(to: &p) { pp in
            withUnsafeMutablePointer(to: &q) { qq in
                _ = bb_multibody_link_pose(handle, Int32(multibody), Int32(link),
                                           UnsafeMutableRawPointer(pp).assumingMemoryBound(to: Double.self),
                                           UnsafeMutableRawPointer(qq).assumingMemoryBound(to: Double.self))
            }
        }
        return Frame(quaternion: q, position: Vector3(p.0, p.1, p.2))
    }

    /// Contact points closer than `distance` between two colliders.
    public func contacts(_ a: Int, _ b: Int, distance: Double = 1e-3) -> Int {
        Int(bb_contact_count(handle, Int32(a), Int32(b), distance))
    }
}
