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

/// Everything a renderer draws: primitives and lighting.
public struct RenderScene: Sendable, Equatable {
    /// The solids.
    public var primitives: [ScenePrimitive]
    /// Background colour, components in [0, 1].
    public var background: Vector3
    /// Direction towards the light (world frame, need not be unit).
    public var lightDirection: Vector3
    /// Ambient light fraction in [0, 1].
    public var ambient: Double

    /// Creates a scene.
    public init(primitives: [ScenePrimitive], background: Vector3 = Vector3(0.55, 0.6, 0.68),
                lightDirection: Vector3 = Vector3(-0.4, 0.3, 1), ambient: Double = 0.35) {
        self.primitives = primitives
        self.background = background
        self.lightDirection = lightDirection
        self.ambient = ambient
    }
}

/// A rendered camera view: colour, depth (m along the optical axis, +∞ for background) and segmentation.
public struct RenderedView: Sendable, Equatable {
    /// The colour image.
    public var image: RGBImage
    /// Row-major depth, one value per pixel.
    public var depth: [Float]
    /// Row-major segmentation ids, one per pixel.
    public var segmentation: [UInt8]

    /// Creates a view.
    public init(image: RGBImage, depth: [Float], segmentation: [UInt8]) {
        self.image = image
        self.depth = depth
        self.segmentation = segmentation
    }
}

/// Port: draws a scene through a camera (the software rasteriser; a GPU renderer could stand in).
public protocol SceneRenderer: Sendable {
    /// Renders `scene` as seen by `camera`.
    func render(_ scene: RenderScene, camera: PinholeCamera) throws -> RenderedView
}
