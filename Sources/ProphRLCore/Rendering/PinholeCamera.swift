/// An undistorted pinhole camera in OpenCV's convention (x right, y down, z forward), calibrated at one image
/// size and usable at any other (intrinsics scale with the output size; flow-eval.md §5.2).
///
/// ```swift
/// let camera = try PinholeCamera(fx: 600, fy: 600, cx: 320, cy: 240, calibrationWidth: 640, calibrationHeight: 480,
///                                cameraFromWorld: extrinsic)
/// let p = camera.project(tipInWorld, width: 256, height: 192)   // (u, v, depth) or nil behind the camera
/// ```
public struct PinholeCamera: Sendable, Equatable {
    /// Focal lengths and principal point in pixels at the calibration size.
    public let fx: Double, fy: Double, cx: Double, cy: Double
    /// The image size the intrinsics were calibrated at.
    public let calibrationWidth: Int, calibrationHeight: Int
    /// The extrinsic T_cam←world: maps world (robot base) points into the camera frame.
    public let cameraFromWorld: Pose

    /// Creates a camera.
    /// - Throws: ``ValidationError`` naming a focal length that is not positive and finite, a principal-point
    ///   coordinate that is not finite, or a calibration size below 1.
    public init(fx: Double, fy: Double, cx: Double, cy: Double, calibrationWidth: Int, calibrationHeight: Int,
                cameraFromWorld: Pose = .identity) throws {
        for (value, name) in [(fx, "fx"), (fy, "fy")] where !(value.isFinite && value > 0) {
            throw ValidationError.outOfRange(argument: name, expected: "> 0 and finite (pixels)", actual: value)
        }
        try Validate.finite(cx, "cx")
        try Validate.finite(cy, "cy")
        try Validate.atLeastOne(calibrationWidth, "calibrationWidth")
        try Validate.atLeastOne(calibrationHeight, "calibrationHeight")
        self.fx = fx; self.fy = fy; self.cx = cx; self.cy = cy
        self.calibrationWidth = calibrationWidth
        self.calibrationHeight = calibrationHeight
        self.cameraFromWorld = cameraFromWorld
    }

    /// A world point in camera coordinates.
    public func cameraCoordinates(of world: Vector3) -> Vector3 { cameraFromWorld.apply(world) }

    /// Sub-pixel image coordinates at output size `width × height` and the depth Z_c; nil when Z_c ≤ 0.
    public func project(_ world: Vector3, width: Int, height: Int) -> (u: Double, v: Double, depth: Double)? {
        let c = cameraCoordinates(of: world)
        guard c.z > 0 else { return nil }
        let sx = Double(width) / Double(calibrationWidth), sy = Double(height) / Double(calibrationHeight)
        return (fx * sx * c.x / c.z + cx * sx, fy * sy * c.y / c.z + cy * sy, c.z)
    }
}
