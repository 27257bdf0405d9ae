/// One solid in a renderable scene: a box, an upright cylinder or a flat disk, placed by a pose, with a
/// base colour, a procedural texture and a segmentation id.
public struct ScenePrimitive: Sendable, Equatable {
    /// The shape in its own frame (centred at the origin; cylinders and disks along local z).
    public enum Geometry: Sendable, Equatable {
        /// A box with these half sizes.
        case box(halfExtents: Vector3)
        /// A cylinder along z.
        case cylinder(radius: Double, halfHeight: Double)
        /// A flat disk in the local xy-plane (visual markers).
        case disk(radius: Double)
    }

    /// A procedural texture modulating the base colour, in the primitive's local coordinates.
    public enum Texture: Sendable, Equatable {
        /// Uniform colour.
        case plain
        /// A checkerboard with squares of this size (m).
        case checker(size: Double)
        /// Stripes along local x of this period (m).
        case stripes(period: Double)
        /// Value noise with features of this size (m).
        case speckle(size: Double)
    }

    /// The shape.
    public var geometry: Geometry
    /// Placement in the world.
    public var pose: Pose
    /// Base colour, components in [0, 1].
    public var colour: Vector3
    /// Procedural texture.
    public var texture: Texture
    /// Segmentation id written where this primitive is visible (0 is the background).
    public var segment: UInt8

    /// Creates a primitive.
    public init(geometry: Geometry, pose: Pose, colour: Vector3, texture: Texture = .plain, segment: UInt8) {
        self.geometry = geometry
        self.pose = pose
        self.colour = colour
        self.texture = texture
        self.segment = segment
    }
}
