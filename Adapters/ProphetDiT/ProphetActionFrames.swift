import ProphRLCore

/// What Prophet needs to draw an action chunk as action frames (conditioning path 2, world-model.md §5.2,
/// flow-eval.md §5): the camera the training videos were recorded with and how the actions are read. Stored
/// in the model configuration, so a saved run renders its inputs the way it was trained.
///
/// ```swift
/// let frames = try ProphetActionFrames(camera: camera, semantics: .absoluteDifference)
/// let pixels = try frames.pixels(frames.markers(state: state, chunk: chunk), width: 64, height: 64)  // [T+1, 64, 64, 3]
/// ```
public struct ProphetActionFrames: Sendable, Equatable, Codable {
    /// Intrinsics in pixels at the calibration size.
    public var fx: Double, fy: Double, cx: Double, cy: Double
    /// The size the intrinsics are calibrated at.
    public var calibrationWidth: Int, calibrationHeight: Int
    /// The extrinsic T_cam←world as a row-major 3×4 matrix `[R | p]`.
    public var cameraFromWorld: [Double]
    /// The action semantics (``ActionSemantics`` raw value) used to integrate chunks into tool poses.
    public var semantics: String

    /// Captures `camera` and `semantics`.
    public init(camera: PinholeCamera, semantics: ActionSemantics) {
        fx = camera.fx; fy = camera.fy; cx = camera.cx; cy = camera.cy
        calibrationWidth = camera.calibrationWidth
        calibrationHeight = camera.calibrationHeight
        let r = camera.cameraFromWorld.rotation.rowMajor, p = camera.cameraFromWorld.position
        cameraFromWorld = [r[0], r[1], r[2], p.x, r[3], r[4], r[5], p.y, r[6], r[7], r[8], p.z]
        self.semantics = semantics.rawValue
    }

    /// The camera.
    /// - Throws: ``ValidationError`` naming `cameraFromWorld` (not 12 numbers or not a rotation) or an intrinsic.
    public func camera() throws -> PinholeCamera {
        try Validate.count(cameraFromWorld.count, equals: 12, "cameraFromWorld")
        let m = cameraFromWorld
        let pose = try Pose(position: Vector3(m[3], m[7], m[11]),
                            rotation: Rotation(rowMajor: [m[0], m[1], m[2], m[4], m[5], m[6], m[8], m[9], m[10]]))
        return try PinholeCamera(fx: fx, fy: fy, cx: cx, cy: cy, calibrationWidth: calibrationWidth,
                                 calibrationHeight: calibrationHeight, cameraFromWorld: pose)
    }

    /// The action semantics.
    /// - Throws: ``ValidationError`` naming `semantics` for an unknown name.
    public func actionSemantics() throws -> ActionSemantics {
        guard let parsed = ActionSemantics(rawValue: semantics) else {
            throw ValidationError.invalid(argument: "semantics",
                                          reason: "expected one of \(ActionSemantics.allCases.map(\.rawValue)), got '\(semantics)'")
        }
        return parsed
    }

    /// Markers of frame 0 (`state`) and of the T poses reached by integrating `chunk` from it: T + 1 lists.
    /// - Throws: ``ValidationError`` from the integrator (effector count differs from the chunk's valid slots).
    public func markers(state: RobotState, chunk: ActionChunk) throws -> [[ActionFrameMarker]] {
        let states = [state] + (try ActionIntegrator(semantics: actionSemantics()).integrate(chunk, from: state))
        return try states.map(Self.markers(of:))
    }

    /// One marker per end effector of `state`.
    public static func markers(of state: RobotState) throws -> [ActionFrameMarker] {
        try state.effectors.map { try ActionFrameMarker(toolPose: $0.pose, openness: $0.gripper) }
    }

    /// Markers of every frame of a recorded episode: frame 0 the recorded initial state, each later frame the pose
    /// reached by one more recorded action, integrated from the recorded state before its chunk (the same rule as
    /// `EpisodeActionFrames` in the application layer). Frames beyond the recorded actions are not covered.
    /// - Throws: ``ValidationError`` naming `episode.states` when the episode has no state.
    public func markers(episode: Episode) throws -> [[ActionFrameMarker]] {
        guard let first = episode.states.first else { throw ValidationError.empty(argument: "episode.states") }
        let integrator = ActionIntegrator(semantics: try actionSemantics())
        var states = [first]
        for (state, chunk) in zip(episode.states, episode.chunks) { states += try integrator.integrate(chunk, from: state) }
        return try states.map(Self.markers(of:))
    }

    /// The action frames of `markers` as pixels in [-1, 1], `[N·H·W·3]` (the autoencoder's input range).
    /// - Throws: ``ValidationError`` naming `width`/`height` below 1 or a bad camera.
    public func pixels(_ markers: [[ActionFrameMarker]], width: Int, height: Int) throws -> [Float] {
        let renderer = try ActionFrameRenderer(camera: camera(), width: width, height: height)
        var values: [Float] = []
        values.reserveCapacity(markers.count * width * height * 3)
        for frame in markers { values += try renderer.render(frame).pixels.map { Float($0) / 127.5 - 1 } }
        return values
    }
}
