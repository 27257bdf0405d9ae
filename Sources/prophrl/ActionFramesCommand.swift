import ArgumentParser
import Foundation
import ProphRLCore
import VideoFFmpeg

/// `prophrl action-frames poses.json --out frames.mp4 [--overlay video.mp4]`: renders the world model's
/// action frames (flow-eval.md §5) from a JSON pose list, or blends them over a video for people.
struct ActionFramesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "action-frames",
        abstract: "Render action frames (end-effector disks and axes) from a JSON pose list to a video.",
        discussion: """
        poses.json: {"width": 256, "height": 256, "framesPerSecond": 20,
          "camera": {"fx": 600, "fy": 600, "cx": 320, "cy": 240, "width": 640, "height": 480,
                     "cameraFromWorld": {"position": [0, 0, 0], "rpy": [0, 0, 0]}},
          "frames": [[{"position": [0.1, -0.05, 0.8], "rpy": [0, 0, 0], "openness": 0.5}], ...]}
        A pose is "position" with "rpy" (radians), "rotationVector", or "matrix" (4x4 row-major, 16 numbers) alone.
        Each frame lists its markers (one per end effector). Width and height default to the overlay video's size.
        (Reading episodes from the HDF5 dataset comes with the dataset reader.)
        """)

    @Argument(help: "The JSON pose list.")
    var poses: String

    @Option(help: "The video to write (mp4: H.264; mkv: FFV1; a %05d.png pattern: PNG images).")
    var out: String

    @Option(help: "Blend the action frames over this video's frames (for people; not model input).")
    var overlay: String?

    @Flag(help: "Write lossless RGB H.264 (libx264rgb) instead of yuv420p, e.g. for model input.")
    var lossless = false

    func run() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: poses))
        let spec: PoseList
        do { spec = try JSONDecoder().decode(PoseList.self, from: data) } catch {
            throw CLIError("\(poses): not a valid pose list: \(error)")
        }
        var background: FFmpegVideoDecoder?
        if let overlay {
            let size = spec.width.flatMap { w in spec.height.map { (width: w, height: $0) } }
            background = try FFmpegVideoDecoder(path: overlay, outputSize: size)
        }
        guard let width = spec.width ?? background?.width, let height = spec.height ?? background?.height else {
            throw CLIError("\(poses): give \"width\" and \"height\" (or --overlay a video)")
        }
        let fps = spec.framesPerSecond ?? (background.map { $0.framesPerSecond > 0 ? $0.framesPerSecond : 20 } ?? 20)
        let c = spec.camera
        let camera = try PinholeCamera(fx: c.fx, fy: c.fy, cx: c.cx, cy: c.cy, calibrationWidth: c.width, calibrationHeight: c.height,
                                       cameraFromWorld: try c.cameraFromWorld?.pose("camera.cameraFromWorld") ?? .identity)
        let renderer = try ActionFrameRenderer(camera: camera, width: width, height: height)
        guard !spec.frames.isEmpty else { throw CLIError("\(poses): \"frames\" is empty") }
        let encoder = try FFmpegVideoEncoder(path: out, width: width, height: height, framesPerSecond: fps,
                                             codec: lossless ? .losslessRGB : nil)
        for (t, markers) in spec.frames.enumerated() {
            let drawn = try markers.enumerated().map { i, m in
                try ActionFrameMarker(toolPose: try m.pose("frames[\(t)][\(i)]"), openness: m.openness)
            }
            var under: RGBImage?
            if let background {
                guard let frame = try background.nextFrame() else {
                    throw CLIError("\(overlay ?? ""): has fewer frames than the pose list (\(spec.frames.count))")
                }
                under = frame.image
            }
            try encoder.append(try renderer.render(drawn, over: under))
        }
        try encoder.finish()
        print("wrote \(out): \(spec.frames.count) action frames at \(width)x\(height), \(fps) fps"
              + (overlay.map { " over \($0)" } ?? ""))
    }
}

/// The JSON pose list read by `action-frames`.
struct PoseList: Decodable {
    struct Camera: Decodable {
        let fx: Double, fy: Double, cx: Double, cy: Double
        let width: Int, height: Int
        let cameraFromWorld: JSONPose?
    }

    let width: Int?
    let height: Int?
    let framesPerSecond: Double?
    let camera: Camera
    let frames: [[JSONPose]]
}

/// A pose in JSON: position plus rpy / rotationVector, or a 4×4 row-major matrix; with gripper openness for markers.
struct JSONPose: Decodable {
    let position: [Double]?
    let rpy: [Double]?
    let rotationVector: [Double]?
    let matrix: [Double]?
    let opennessValue: Double?

    enum CodingKeys: String, CodingKey { case position, rpy, rotationVector, matrix, opennessValue = "openness" }

    /// Gripper openness (1 = open when absent).
    var openness: Double { opennessValue ?? 1 }

    /// The pose; `name` locates it in error messages.
    func pose(_ name: String) throws -> Pose {
        if let matrix {
            guard matrix.count == 16 else { throw CLIError("\(name).matrix: expected 16 numbers (4x4 row-major), got \(matrix.count)") }
            let rotation = try Rotation(rowMajor: [matrix[0], matrix[1], matrix[2], matrix[4], matrix[5], matrix[6],
                                                   matrix[8], matrix[9], matrix[10]])
            return try Pose(position: Vector3(validating: [matrix[3], matrix[7], matrix[11]], "\(name).matrix"), rotation: rotation)
        }
        guard let position else { throw CLIError("\(name): needs \"position\" (or \"matrix\")") }
        let p = try Vector3(validating: position, "\(name).position")
        if let rotationVector {
            return try Pose(position: p, rotation: Rotation(rotationVector: Vector3(validating: rotationVector, "\(name).rotationVector")))
        }
        let angles = rpy ?? [0, 0, 0]
        guard angles.count == 3 else { throw CLIError("\(name).rpy: expected 3 numbers, got \(angles.count)") }
        return try Pose(position: p, rotation: Rotation(roll: angles[0], pitch: angles[1], yaw: angles[2]))
    }
}
