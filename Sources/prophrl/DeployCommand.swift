import ArgumentParser
import CheckpointSQLite
import FlowPolicy
import Foundation
import ProphRL
import ProphRLCore
import RobotRTDE
import VideoFFmpeg

/// `prophrl deploy --policy run.sqlite --task T --host H --camera SRC`: runs a trained policy on a UR30e (or on
/// `prophrl robot sim`) with the paper's real-robot protocol, through the adapter's safety envelope.
struct DeployCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy",
        abstract: "Run a trained policy on the robot: camera image + integrated state in, streamed action chunks out.",
        discussion: """
        Each chunk (ODE sampling) is integrated from the integrated state and streamed as servoL on a minimum-jerk
        profile (docs/robot.md, "Running a policy"). The arm rests between chunks; the controller watchdog is set
        from --watchdog-hz so the policy may think for up to 1/f s. Stop with Ctrl-C or the pendant at any time.
        """)

    @OptionGroup var connection: RobotConnectionOptions
    @Option(help: "Policy run file (from 'policy sft' or 'rl train').") var policy: String
    @Option(help: "Task name (the instruction's key).") var task: String
    @Option(help: "Instruction given to the policy (default: the task name with dashes as spaces).") var instruction: String?
    @Option(help: "Camera: /dev/videoN, a stream URL, or a video file (replayed).") var camera: String
    @Option(help: "Square camera resolution the policy was trained at.") var resolution: Int = 64
    @Option(help: "Episodes to run.") var episodes: Int = 1
    @Option(help: "Actions per episode before the time limit.") var maxActions: Int = 200
    @Option(help: "Controller-side watchdog frequency (Hz); must exceed 1 / (policy think time).") var watchdogHz: Double = 1
    @Option(help: "Write the camera frames of the last episode to this video (.mp4/.mkv).") var record: String?
    @Option(help: "Largest translation one action may command (m); longer actions are scaled down and counted.")
    var maxActionTranslation: Double = 0.01
    @Option(help: "Largest roll/pitch/yaw change one action may command (rad); larger ones are clamped and counted.")
    var maxActionRotation: Double = 0.1

    func run() throws {
        guard episodes >= 1 else { throw CLIError("--episodes: expected ≥ 1, got \(episodes)") }
        guard maxActions >= 1 else { throw CLIError("--max-actions: expected ≥ 1, got \(maxActions)") }
        guard watchdogHz > 0 else { throw CLIError("--watchdog-hz: expected > 0, got \(watchdogHz)") }
        guard maxActionTranslation > 0, maxActionRotation > 0 else {
            throw CLIError("--max-action-translation/--max-action-rotation: expected > 0")
        }
        var configured = connection.linkConfiguration()
        configured.watchdogFrequency = watchdogHz
        let linkConfiguration = configured
        let text = instruction ?? task.replacingOccurrences(of: "-", with: " ")
        let (policyPath, task, cameraSource, resolution, episodes, maxActions, record) =
            (policy, task, camera, resolution, episodes, maxActions, record)
        let (maxTranslation, maxRotation) = (maxActionTranslation, maxActionRotation)
        try runBlocking {
            let store = try SQLiteCheckpointStore(path: policyPath, mode: .readOnly)
            let policy = try await FlowPolicy.load(from: store, step: nil, weightsOnly: true)
            let size = (width: resolution, height: resolution)
            var environmentConfiguration = RobotEnvironment<TCPRobotLink, AnyCamera>.Configuration(tasks: [task: text])
            environmentConfiguration.maxActions = maxActions
            environmentConfiguration.maxActionTranslation = maxTranslation
            environmentConfiguration.maxActionRotation = maxRotation
            let camera = try await AnyCamera.open(cameraSource, size: size)
            let robot = RobotEnvironment(link: TCPRobotLink(configuration: linkConfiguration), camera: camera,
                                         configuration: environmentConfiguration)
            let environment = ScaledActionEnvironment(base: robot, scaling: policy.actionScaling)
            let maxChunks = (maxActions + policy.configuration.chunkSteps - 1) / policy.configuration.chunkSteps
            let evaluator = PolicyEvaluator(policy: policy, environment: environment, maxChunks: maxChunks)
            var last: [RGBImage] = []
            do {
                for e in 0..<episodes {
                    let episode = try await evaluator.episode(task: task, seed: UInt64(e), record: record != nil)
                    let trajectory = await robot.trajectory()
                    let clipped = await robot.clippedActions()
                    let drift = trajectory.map { zip($0.commanded.prefix(3), $0.measured.prefix(3)).map { abs($0 - $1) }.max() ?? 0 }.max() ?? 0
                    print("episode \(e + 1): \(episode.actions) actions executed (\(clipped) clipped to the per-action limits); "
                          + "max |commanded − measured| TCP position " + String(format: "%.4f m", drift))
                    last = episode.frames
                }
            } catch {
                try? await environment.close()
                throw error
            }
            try await environment.close()
            if let record, !last.isEmpty {
                try FFmpegVideoWriter().writeSync(try VideoClip(frames: last, framesPerSecond: 10), path: record)
                print("camera frames of the last episode: \(record)")
            }
        }
    }
}

/// The camera sources `deploy` accepts, behind one concrete type for the generic environment.
actor AnyCamera: Camera {
    nonisolated let frameFormat: FrameFormat
    private let grab: @Sendable () async throws -> RGBImage

    private init(format: FrameFormat, grab: @escaping @Sendable () async throws -> RGBImage) {
        frameFormat = format
        self.grab = grab
    }

    /// A live device or stream through FFmpeg, or a video file replayed frame by frame.
    static func open(_ source: String, size: (width: Int, height: Int)) async throws -> AnyCamera {
        let isFile = !source.hasPrefix("/dev/") && !source.contains("://") && FileManager.default.fileExists(atPath: source)
        if isFile {
            let camera = try await VideoFileCamera(reader: FFmpegVideoReader(outputSize: size), path: source)
            return AnyCamera(format: camera.frameFormat, grab: { try await camera.capture() })
        }
        let camera = try FFmpegCamera(source: source, outputSize: size)
        return AnyCamera(format: camera.frameFormat, grab: { try await camera.capture() })
    }

    func capture() async throws -> RGBImage { try await grab() }
}
