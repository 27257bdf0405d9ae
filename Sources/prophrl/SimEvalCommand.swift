import ArgumentParser
import BulletSimulator
import CheckpointSQLite
import FlowPolicy
import Foundation
import PNGImage
import ProphRL
import ProphRLCore
import SoftRaster

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

    func run() throws {
        guard episodes >= 1 else { throw CLIError("--episodes: expected ≥ 1, got \(episodes)") }
        guard runs >= 1 else { throw CLIError("--runs: expected ≥ 1, got \(runs)") }
        let simTask: SimTask
        do { simTask = try SimTask(name: task) } catch { throw CLIError("--task: \(error)") }
        _ = try SimCommand.camera(resolution)
        let (path, episodes, runs, seedBase, step, resolution, framesDir) = (policy, episodes, runs, seedBase, step, resolution, framesDir)
        let rates = try runBlocking {
            try await Self.evaluate(path: path, task: simTask, episodes: episodes, runs: runs, seedBase: seedBase,
                                    step: step, resolution: resolution, framesDir: framesDir)
        }
        let (mean, std) = PolicyEvaluator<FlowPolicy, BulletEnvironment>.meanAndStd(rates)
        print(String(format: "%@: success %.1f %% ± %.1f (%d runs × %d episodes)", task, 100 * mean, 100 * std, runs, episodes))
    }

    /// The success rate of each run.
    static func evaluate(path: String, task: SimTask, episodes: Int, runs: Int, seedBase: UInt64, step: Int?,
                         resolution: Int, framesDir: String?) async throws -> [Double] {
        let store = try SQLiteCheckpointStore(path: path, mode: .readOnly)
        let policy = try await FlowPolicy.load(from: store, step: step, weightsOnly: true)
        let simulator = try BulletEnvironment(renderer: try SoftRasterizer(), resolution: resolution)
        let environment = ScaledActionEnvironment(base: simulator, scaling: policy.actionScaling)
        let maxChunks = (task.stepLimit + policy.configuration.chunkSteps - 1) / policy.configuration.chunkSteps
        let evaluator = PolicyEvaluator(policy: policy, environment: environment, maxChunks: maxChunks)
        var rates: [Double] = []
        for r in 0..<runs {
            let seeds = (0..<episodes).map { seedBase &+ UInt64(r * episodes + $0) }
            var bar = ProgressBar(total: episodes, label: "eval run \(r + 1)", style: .lines,
                                  write: { print($0, terminator: ""); fflush(nil) })
            var successes = 0
            var episodesOut: [PolicyEvaluator<FlowPolicy, ScaledActionEnvironment<BulletEnvironment>>.Episode] = []
            for (i, seed) in seeds.enumerated() {
                let episode = try await evaluator.episode(task: task.rawValue, seed: seed, record: framesDir != nil && i == 0)
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
            rates.append(Double(successes) / Double(episodes))
            print(String(format: "run %d: %.1f %% (%d/%d)", r + 1, 100 * rates[r], successes, episodes))
        }
        return rates
    }
}
