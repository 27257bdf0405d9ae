/// The simulator's camera: a pinhole with intrinsics K (pixels) at a fixed image size and extrinsics E
/// (world → camera, OpenCV axes: x right, y down, z forward). Pixel (0, 0) is the centre of the top-left pixel.
/// (The action-frame renderer's `PinholeCamera` is calibrated at one size and scales to others; the two can be
/// unified once both are on main.)
///
/// ```swift
/// let camera = try SceneCamera.d455(width: 64, height: 64,
///                                    eye: Vector3(-1.5, 0, 0.8), target: Vector3(-0.6, 0, 0))
/// let pixel = camera.project(Vector3(-0.6, 0, 0))   // ≈ (31.5, 31.5)
/// ```
public struct SceneCamera: Sendable, Equatable {
    /// Image width in pixels.
    public let width: Int
    /// Image height in pixels.
    public let height: Int
    /// Focal length along x, pixels.
    public let fx: Double
    /// Focal length along y, pixels.
    public let fy: Double
    /// Principal point x, pixels.
    public let cx: Double
    /// Principal point y, pixels.
    public let cy: Double
    /// The world → camera transform E.
    public let worldToCamera: Pose

    /// Field of view of a centred square crop of the RealSense D455 colour sensor (90° × 65° H × V at 16:9, so the
    /// square keeps the 65° vertical field), radians.
    public static let d455SquareFieldOfView = 65 * Double.pi / 180

    /// Creates a camera.
    /// - Throws: ``ValidationError`` if a size is not positive or an intrinsic is not finite and positive.
    public init(width: Int, height: Int, fx: Double, fy: Double, cx: Double, cy: Double, worldToCamera: Pose) throws {
        try Validate.atLeastOne(width, "width")
        try Validate.atLeastOne(height, "height")
        try Validate.positive(fx, "fx")
        try Validate.positive(fy, "fy")
        try Validate.finite(cx, "cx")
        try Validate.finite(cy, "cy")
        self.width = width
        self.height = height
        self.fx = fx
        self.fy = fy
        self.cx = cx
        self.cy = cy
        self.worldToCamera = worldToCamera
    }

    /// A D455-like colour camera (square centre crop, 65° field of view) at `eye` looking at `target`, with
    /// world +z as "up" in the image.
    /// - Throws: ``ValidationError`` if a size is not positive or `eye` coincides with `target` or looks straight
    ///   along z.
    public static func d455(width: Int, height: Int, eye: Vector3, target: Vector3) throws -> SceneCamera {
        try Validate.atLeastOne(width, "width")
        try Validate.atLeastOne(height, "height")
        let f = Double(width) / 2 / tanHalfField
        return try SceneCamera(width: width, height: height, fx: f, fy: f, cx: Double(width - 1) / 2,
                                 cy: Double(height - 1) / 2, worldToCamera: lookAt(eye: eye, target: target))
    }

    /// tan(65° / 2).
    static let tanHalfField = 0.6370702608074932

    /// The world → camera pose of a camera at `eye` looking at `target` (OpenCV axes, world z up).
    /// - Throws: ``ValidationError`` naming `target` if it coincides with `eye` or is straight above or below it.
    public static func lookAt(eye: Vector3, target: Vector3) throws -> Pose {
        let forward = target - eye
        guard forward.norm > 1e-9 else {
            throw ValidationError.invalid(argument: "target", reason: "coincides with the camera position")
        }
        let z = (1 / forward.norm) * forward
        let rightRaw = z.cross(Vector3(0, 0, 1))
        guard rightRaw.norm > 1e-9 else {
            throw ValidationError.invalid(argument: "target", reason: "straight above or below the camera")
        }
        let x = (1 / rightRaw.norm) * rightRaw
        let y = z.cross(x)
        // Rows of the world → camera rotation are the camera axes in world coordinates.
        let rotation = try Rotation(rowMajor: [x.x, x.y, x.z, y.x, y.y, y.z, z.x, z.y, z.z])
        return try Pose(position: -rotation.apply(eye), rotation: rotation)
    }

    /// K as a row-major 3×3 matrix.
    public var intrinsicMatrix: [Double] { [fx, 0, cx, 0, fy, cy, 0, 0, 1] }

    /// E as a row-major 4×4 matrix (world → camera).
    public var extrinsicMatrix: [Double] {
        let r = worldToCamera.rotation, t = worldToCamera.position
        return [r.r00, r.r01, r.r02, t.x, r.r10, r.r11, r.r12, t.y, r.r20, r.r21, r.r22, t.z, 0, 0, 0, 1]
    }

    /// The pixel (u right, v down) and depth (m along the optical axis) of a world point, or `nil` behind the
    /// camera.
    public func project(_ point: Vector3) -> (u: Double, v: Double, depth: Double)? {
        let c = worldToCamera.apply(point)
        guard c.z > 1e-9 else { return nil }
        return (fx * c.x / c.z + cx, fy * c.y / c.z + cy, c.z)
    }

    /// The same camera at another resolution (intrinsics scaled; the field of view is kept).
    /// - Throws: ``ValidationError`` if a size is not positive.
    public func resized(width: Int, height: Int) throws -> SceneCamera {
        try Validate.atLeastOne(width, "width")
        try Validate.atLeastOne(height, "height")
        let sx = Double(width) / Double(self.width), sy = Double(height) / Double(self.height)
        return try SceneCamera(width: width, height: height, fx: fx * sx, fy: fy * sy,
                                 cx: (cx + 0.5) * sx - 0.5, cy: (cy + 0.5) * sy - 0.5, worldToCamera: worldToCamera)
    }
}
