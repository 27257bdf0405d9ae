import ArgumentParser
import BulletSimulator
import CheckpointSQLite
import FlowPolicy
import HDF5Episodes
import Foundation
import PNGImage
import ProphRL
import ProphRLCore
import SoftRaster
import VideoFFmpeg

/// `prophrl sim eval --policy policy.sqlite --task T --episodes N --runs R`: closed-loop success in physics.
struct SimEvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Run a trained policy closed-loop in the simulator (ODE sampling) and report success mean ± std.",
        discussion: """
        Run r, episode e resets with seed base + r·episodes + e. The default base (10,000,000) lies far above the
        demo seeds of 'sim collect' (0…) and RL draws its reset seeds from a 64-bit generator, so evaluation
        seeds are never trained on.
        """)

    @Option(help: "Policy run file (from 'policy sft' or 'rl train').") var policy: String
    @Option(help: "Task name.") var task: String
    @Option(help: "Episodes per run.") var episodes: Int = 20
    @Option(help: "Independent runs (fresh seeds each).") var runs: Int = 3
    @Option(help: "First evaluation seed.") var seedBase: UInt64 = 10_000_000
    @Option(help: "Checkpoint step (default: latest).") var step: Int?
    @Option(help: "Square camera resolution; must match the training data.") var resolution: Int = 64
    @Option(help: "Write the frames of the first episode of each run as PNGs into this folder.") var framesDir: String?
    @Option(help: "Write the first episode of each run as an MP4 (H.264) into this folder.") var videoDir: String?
    @Option(help: "Write the result (task, method, per-run rates) as JSON for 'rl report'.") var json: String?
    @Option(help: "Save every evaluated episode (frames, instruction, success) to this HDF5 file, e.g. as judge training data.")
    var rolloutsOut: String?
    @Option(help: "Flow-SDE noise level for stochastic sampling (default: deterministic ODE), seeded per episode; e.g. 0.4 for varied policy rollouts as world-model or judge training data.")
    var eta: Double?
    @Flag(help: "The policy sees the state integrated from its own actions (real-robot protocol, as inside Prophet), not the measured one.")
    var integratedState = false
    @Option(help: "A Prophet run file ('world train'): the policy sees each frame after a round trip through its autoencoder, as Prophet would draw it (for a policy fine-tuned on such frames).")
    var viewThrough: String?

    func run() throws {
        if let eta, !(eta > 0 && eta.isFinite) { throw CLIError("--eta: expected a positive number, got \(eta)") }
        guard episodes >= 1 else { throw CLIError("--episodes: expected ≥ 1, got \(episodes)") }
        guard runs >= 1 else { throw CLIError("--runs: expected ≥ 1, got \(runs)") }
        let simTask: SimTask
        do { simTask = try SimTask(name: task) } catch { throw CLIError("--task: \(error)") }
        _ = try SimCommand.camera(resolution)
        ViewThroughOption.warnIfMismatched(policy: policy, given: viewThrough)
        let (path, episodes, runs, seedBase, step, resolution, framesDir, videoDir, rolloutsOut, eta, integratedState, viewThrough) =
            (policy, episodes, runs, seedBase, step, resolution, framesDir, videoDir, rolloutsOut, eta, integratedState, viewThrough)
        let rates = try runBlocking {
            try await Self.evaluate(path: path, task: simTask, episodes: episodes, runs: runs, seedBase: seedBase,
                                    step: step, resolution: resolution, framesDir: framesDir, videoDir: videoDir,
                                    rolloutsOut: rolloutsOut, eta: eta, integratedState: integratedState,
                                    viewThrough: viewThrough)
        }
        let (mean, std) = PolicyEvaluator<FlowPolicy, BulletEnvironment>.meanAndStd(rates)
        print(String(format: "%@: success %.1f %% ± %.1f (%d runs × %d episodes)", task, 100 * mean, 100 * std, runs, episodes))
        if let json {
            try Self.writeJSON(to: json, policy: policy, task: task, rates: rates, episodes: episodes, seedBase: seedBase,
                               integratedState: integratedState, step: step, viewThrough: viewThrough)
            print("wrote \(json)")
        }
    }

    /// The results-table column of a policy run file: SFT, the control arm when its rewards were shuffled, or the RL
    /// objective stored in its config.
    static func method(ofPolicy path: String) throws -> ResultsTable.Method {
        let record = try SQLiteCheckpointStore(path: path, mode: .readOnly).runRecord()
        guard record.kind == "policy-rl" else { return .sft }
        let rl = try JSONValue.parse(record.configJSON)["rl"]
        if let control = rl?["rewardControl"]?.stringValue, control != RewardControl.none.rawValue { return .shuffledReward }
        guard let name = rl?["objective"]?.stringValue,
              let method = ResultsTable.Method(rawValue: name) else { return .flowScale }
        return method
    }

    /// Writes `{task, method, policy, step?, episodes, seedBase, stateInput, rates}` atomically; `stateInput` is
    /// `measured` or `integrated` (``IntegratedStateEnvironment``), so that `rl report` never mixes the two protocols.
    /// `policy` is the run file's absolute path and `step` the `--step` asked for, so that `rl report --select-on`
    /// pairs one policy's results on different seeds whatever directory each evaluation ran from.
    static func writeJSON(to path: String, policy: String, task: String, rates: [Double], episodes: Int, seedBase: UInt64,
                          integratedState: Bool = false, step: Int? = nil, viewThrough: String? = nil) throws {
        let absolute = URL(fileURLWithPath: policy).standardizedFileURL.path
        var fields: [(String, JSONValue)] = [
            ("task", .string(task)), ("method", .string(try method(ofPolicy: policy).rawValue)), ("policy", .string(absolute)),
        ]
        if let step { fields.append(("step", .integer(Int64(step)))) }
        fields += [
            ("episodes", .integer(Int64(episodes))), ("seedBase", .integer(Int64(truncatingIfNeeded: seedBase))),
            ("stateInput", .string(integratedState ? "integrated" : "measured")), ("rates", .array(rates.map { .number($0) })),
        ]
        if let viewThrough { fields.append(("viewThrough", .string(URL(fileURLWithPath: viewThrough).standardizedFileURL.path))) }
        let value = JSONValue.object(fields)
        try AtomicFile.write(Array((value.serialized() + "\n").utf8), to: path)
    }

    /// The success rate of each run.
    static func evaluate(path: String, task: SimTask, episodes: Int, runs: Int, seedBase: UInt64, step: Int?,
                         resolution: Int, framesDir: String?, videoDir: String? = nil,
                         rolloutsOut: String? = nil, quiet: Bool = false, eta: Double? = nil,
                         integratedState: Bool = false, viewThrough: String? = nil) async throws -> [Double] {
        let store = try SQLiteCheckpointStore(path: path, mode: .readOnly)
        let policy = try await FlowPolicy.load(from: store, step: step, weightsOnly: true)
        let simulator = try BulletEnvironment(renderer: try SoftRasterizer(), resolution: resolution)
        let maxChunks = (task.stepLimit + policy.configuration.chunkSteps - 1) / policy.configuration.chunkSteps
        let options = RunOptions(task: task, episodes: episodes, runs: runs, seedBase: seedBase, framesDir: framesDir,
                                 videoDir: videoDir, rolloutsOut: rolloutsOut, quiet: quiet, eta: eta)
        if let viewThrough {
            let viewed = ViewedEnvironment(base: simulator, view: try ViewThroughOption.load(viewThrough, resolution: resolution))
            return try await evaluate(policy, in: viewed, maxChunks: maxChunks, integratedState: integratedState, options)
        }
        return try await evaluate(policy, in: simulator, maxChunks: maxChunks, integratedState: integratedState, options)
    }

    /// The runs of `policy` in `base`, with the state it integrates from its own actions when `integratedState`.
    static func evaluate<E: Environment>(_ policy: FlowPolicy, in base: E, maxChunks: Int, integratedState: Bool,
                                         _ options: RunOptions) async throws -> [Double] {
        if integratedState {
            let environment = ScaledActionEnvironment(base: IntegratedStateEnvironment(base: base), scaling: policy.actionScaling)
            return try await evaluationRuns(PolicyEvaluator(policy: policy, environment: environment, maxChunks: maxChunks), options)
        }
        let environment = ScaledActionEnvironment(base: base, scaling: policy.actionScaling)
        return try await evaluationRuns(PolicyEvaluator(policy: policy, environment: environment, maxChunks: maxChunks), options)
    }

    /// What ``evaluationRuns(_:_:)`` needs besides the evaluator.
    struct RunOptions {
        let task: SimTask, episodes: Int, runs: Int, seedBase: UInt64
        let framesDir: String?, videoDir: String?, rolloutsOut: String?, quiet: Bool, eta: Double?
    }

    /// The evaluation runs of ``evaluate(path:task:episodes:runs:seedBase:step:resolution:framesDir:videoDir:rolloutsOut:quiet:eta:integratedState:)``.
    static func evaluationRuns<E: Environment>(_ evaluator: PolicyEvaluator<FlowPolicy, E>, _ options: RunOptions) async throws -> [Double] {
        let (task, episodes, runs, seedBase) = (options.task, options.episodes, options.runs, options.seedBase)
        let (framesDir, videoDir, quiet, eta) = (options.framesDir, options.videoDir, options.quiet, options.eta)
        let policy = evaluator.policy
        let rolloutStore = options.rolloutsOut.map { HDF5EpisodeStore(path: $0) }
        var rates: [Double] = []
        for r in 0..<runs {
            let seeds = (0..<episodes).map { seedBase &+ UInt64(r * episodes + $0) }
            var bar = ProgressBar(total: episodes, label: "eval run \(r + 1)", style: .lines,
                                  write: { if !quiet { print($0, terminator: ""); fflush(nil) } })
            var successes = 0
            var episodesOut: [PolicyEvaluator<FlowPolicy, E>.Episode] = []
            for (i, seed) in seeds.enumerated() {
                let episode = try await evaluator.episode(task: task.rawValue, seed: seed,
                                                          record: rolloutStore != nil || ((framesDir != nil || videoDir != nil) && i == 0),
                                                          eta: eta)
                if let rolloutStore {
                    // States before each chunk and the executed chunks in robot units, like 'sim collect': the rollouts
                    // can train a world model as well as a judge.
                    try await rolloutStore.save(try Episode(
                        id: "\(task.rawValue)-policy-\(episode.seed)", task: task.rawValue, instruction: task.instruction,
                        seed: episode.seed, video: VideoClip(frames: episode.frames, framesPerSecond: 10), states: episode.states,
                        chunks: try episode.chunks.map { try policy.actionScaling.toRobot($0) }, success: episode.success))
                }
                if episode.success { successes += 1 }
                episodesOut.append(episode)
                bar.advance(detail: "\(successes)/\(i + 1) successes")
            }
            if let framesDir, let first = episodesOut.first {
                let folder = (framesDir as NSString).appendingPathComponent("run\(r + 1)-seed\(first.seed)")
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                for (i, frame) in first.frames.enumerated() {
                    try PNGImageWriter().write(frame, to: (folder as NSString).appendingPathComponent(String(format: "frame_%04d.png", i)))
                }
                print("frames of seed \(first.seed) (\(first.success ? "success" : "failure")) in \(folder)")
            }
            if let videoDir, let first = episodesOut.first, !first.frames.isEmpty {
                try FileManager.default.createDirectory(atPath: videoDir, withIntermediateDirectories: true)
                let file = (videoDir as NSString).appendingPathComponent(
                    "\(task.rawValue)-run\(r + 1)-seed\(first.seed)-\(first.success ? "success" : "failure").mp4")
                try FFmpegVideoWriter().writeSync(try VideoClip(frames: first.frames, framesPerSecond: 10), path: file)
                print("video of seed \(first.seed) (\(first.success ? "success" : "failure")): \(file)")
            }
            rates.append(Double(successes) / Double(episodes))
            if !quiet { print(String(format: "run %d: %.1f %% (%d/%d)", r + 1, 100 * rates[r], successes, episodes)) }
        }
        return rates
    }
}
