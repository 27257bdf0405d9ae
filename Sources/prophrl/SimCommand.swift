import ArgumentParser
import BulletSimulator
import Foundation
import HDF5Episodes
import PNGImage
import ProphRLCore
import SoftRaster
import VideoFFmpeg

/// `prophrl sim`: the Bullet reference simulator — collect expert datasets, replay them, look at an episode.
struct SimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Bullet reference simulator: collect expert demos (HDF5), replay them, show an episode.",
        subcommands: [SimCollectCommand.self, SimReplayCommand.self, SimShowCommand.self, SimEvalCommand.self]
    )

    /// Parses a task name, or "all".
    static func tasks(_ name: String) throws -> [SimTask] {
        if name == "all" { return SimTask.allCases }
        do { return [try SimTask(name: name)] } catch { throw CLIError("--task: \(error) (or 'all')") }
    }

    static func camera(_ resolution: Int) throws -> SceneCamera {
        guard (8...1024).contains(resolution) else {
            throw CLIError("--resolution: expected 8...1024 pixels, got \(resolution)")
        }
        return try SimulationRun.defaultCamera(resolution: resolution)
    }
}

struct SimCollectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect", abstract: "Record scripted-expert episodes into a robomimic/LIBERO HDF5 file.")

    @Option(help: "Task name (pick-bottle, place-cube, pull-tissue, place-bowl) or 'all'.") var task: String
    @Option(help: "Episodes per task.") var episodes: Int = 10
    @Option(help: "First seed; episode k uses seed + k.") var seed: UInt64 = 0
    @Option(help: "Square camera resolution in pixels.") var resolution: Int = 64
    @Option(help: "Episodes per atomic file update.") var batch: Int = 10
    @Option(help: "Control steps per second (physics substeps = 240 / rate).") var controlRate: Double = 10
    @Option(help: "Output HDF5 file (appended to if it exists).") var out: String
    @Option(help: "Expert waypoint noise std (m); e.g. 0.03 for a noisy expert that sometimes fails.") var waypointNoise: Double = 0.003
    @Option(help: "Expert per-step noise std (m).") var stepNoise: Double = 0.0005

    func run() throws {
        let tasks = try SimCommand.tasks(task)
        guard episodes >= 1 else { throw CLIError("--episodes: expected ≥ 1, got \(episodes)") }
        guard batch >= 1 else { throw CLIError("--batch: expected ≥ 1, got \(batch)") }
        guard waypointNoise >= 0, waypointNoise <= 0.2 else { throw CLIError("--waypoint-noise: expected 0…0.2 m, got \(waypointNoise)") }
        guard stepNoise >= 0, stepNoise <= 0.05 else { throw CLIError("--step-noise: expected 0…0.05 m, got \(stepNoise)") }
        guard controlRate >= 1, controlRate <= 240 else {
            throw CLIError("--control-rate: expected 1...240 steps per second, got \(controlRate)")
        }
        let camera = try SimCommand.camera(resolution)
        let renderer = try SoftRasterizer()
        let store = HDF5EpisodeStore(path: out, camera: camera)
        let total = tasks.count * episodes
        var done = 0, successes = 0
        var pending: [Episode] = []
        let start = Date()
        for task in tasks {
            var taskSuccesses = 0
            for k in 0..<episodes {
                let episode = try ExpertDemonstration.record(task: task, seed: seed &+ UInt64(k), renderer: renderer,
                                                             camera: camera, controlRate: controlRate,
                                                             waypointNoise: waypointNoise, stepNoise: stepNoise)
                pending.append(episode)
                done += 1
                if episode.success { successes += 1; taskSuccesses += 1 }
                let bar = String(repeating: "#", count: 30 * done / total).padding(toLength: 30, withPad: ".", startingAt: 0)
                print("[\(bar)] \(done)/\(total) \(episode.id) \(episode.success ? "success" : "FAIL") "
                      + "\(episode.chunks.count) steps", terminator: "\n")
                if pending.count >= batch { try save(&pending, store) }
            }
            print("\(task.rawValue): \(taskSuccesses)/\(episodes) successful")
        }
        try save(&pending, store)
        let seconds = Date().timeIntervalSince(start)
        print("wrote \(total) episodes (\(successes) successful) to \(out) in \(String(format: "%.1f", seconds)) s")
    }

    func save(_ pending: inout [Episode], _ store: HDF5EpisodeStore) throws {
        guard !pending.isEmpty else { return }
        let batch = pending
        try runBlocking { try await store.save(contentsOf: batch) }
        pending.removeAll()
    }
}

struct SimReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay", abstract: "Re-execute a recorded episode and report the state error against the recording.")

    @Argument(help: "HDF5 file written by 'sim collect'.") var file: String
    @Option(help: "Episode index in listing order (ids sorted).") var episode: Int = 0

    func run() throws {
        let store = HDF5EpisodeStore(path: file)
        let summaries = try runBlocking { try await store.list(task: nil) }
        guard summaries.indices.contains(episode) else {
            throw CLIError("--episode: expected 0..<\(summaries.count), got \(episode)")
        }
        let id = summaries[episode].id
        let recorded = try runBlocking { try await store.load(id: id) }
        let report = try ExpertDemonstration.replay(recorded)
        print("episode \(id) (\(recorded.task), seed \(recorded.seed)): \(report.steps) actions replayed")
        print("max TCP position error \(report.maxPositionError) m, rotation-matrix error \(report.maxRotationError), "
              + "joint error \(report.maxJointError) rad")
        print("success: recorded \(recorded.success), replayed \(report.success)")
        if report.maxPositionError != 0 || report.maxRotationError != 0 || report.maxJointError != 0
            || report.success != recorded.success {
            throw CLIError("replay diverged from the recording")
        }
    }
}

struct SimShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Run the scripted expert once and write its camera video (.mp4/.mkv) or PNG frames.")

    @Option(help: "Task name.") var task: String
    @Option(help: "Seed.") var seed: UInt64 = 0
    @Option(help: "Square camera resolution in pixels.") var resolution: Int = 128
    @Option(help: "Output video (.mp4 H.264, .mkv lossless), or a directory for frame_NNNN.png (created).") var out: String

    func run() throws {
        guard let task = try SimCommand.tasks(task).first, self.task != "all" else {
            throw CLIError("--task: expected one task, got 'all'")
        }
        let camera = try SimCommand.camera(resolution)
        let episode = try ExpertDemonstration.record(task: task, seed: seed, renderer: try SoftRasterizer(), camera: camera)
        let extensionName = (out as NSString).pathExtension.lowercased()
        if ["mp4", "mkv", "avi", "webm"].contains(extensionName) {
            try FFmpegVideoWriter().writeSync(episode.video, path: out)
        } else {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let writer = PNGImageWriter()
            for (i, frame) in episode.video.frames.enumerated() {
                try writer.write(frame, to: (out as NSString).appendingPathComponent(String(format: "frame_%04d.png", i)))
            }
        }
        print("\(episode.id): \(episode.success ? "success" : "failure") in \(episode.chunks.count) steps; "
              + "\(episode.video.frames.count) frames written to \(out)")
    }
}

