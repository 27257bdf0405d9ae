import ArgumentParser
import BulletSimulator
import CheckpointSQLite
import FlowPolicy
import Foundation
import PNGImage
import ProphRL
import ProphRLCore
import SoftRaster
import VideoJudge

/// `prophrl rl`: policy-gradient training of the flow head (FA-GRPO + FlowScale and ablations).
struct RLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rl", abstract: "RL of the flow policy with FA-GRPO + FlowScale (or an ablation).",
        subcommands: [RLTrainCommand.self, RLReportCommand.self])
}

/// `prophrl rl train --policy sft.sqlite --task T --config rl.json --out rl.sqlite`.
struct RLTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train an SFT policy by RL in the simulator with the oracle reward (its success predicate); resumes --out.",
        discussion: """
        Config keys (RLConfigFile): seed 0, groupSize 8, groupsPerIteration 4, outerSteps 1, eta 0.5,
        objective flowScale|faGRPO|flowGRPO, clipEpsilon 0.2, klCoefficient 0.01, minibatchRollouts 16, epochs 1,
        iterations 20, learningRate (SFT's), checkpointEvery 5. outerSteps defaults to cover the task's step
        limit when the config leaves it out. Diagnostics go to the run's metrics and to PNG plots (--plot).
        The environment is one line: swap the simulator for WorldModelEnvironment(Prophet) for RL in the world model.
        """)

    @Option(help: "SFT policy run file.") var policy: String
    @Option(help: "Task name.") var task: String
    @Option(help: "JSON config (default: built-in defaults).") var config: String?
    @Option(help: "Override the ablation switch: flowScale, faGRPO or flowGRPO.") var objective: String?
    @Option(help: "Override iterations.") var iterations: Int?
    @Option(help: "The RL run file (SQLite checkpoints and metrics).") var out: String
    @Option(help: "PNG file prefix for the diagnostic plots (default: --out without extension).") var plot: String?
    @Option(help: "Square camera resolution; must match the policy's training data.") var resolution: Int = 64
    @Option(help: "Reward: 'oracle' (the simulator's success predicate) or 'judge:PATH' (a learned video judge run file).")
    var reward: String = "oracle"

    func run() throws {
        let simTask: SimTask
        do { simTask = try SimTask(name: task) } catch { throw CLIError("--task: \(error)") }
        var file = try config.map { try RLConfigFile.parse(json: try readText($0, option: "--config"), task: task) }
            ?? RLConfigFile()
        file.options.task = task
        if let objective {
            guard let o = RLOptions.Objective(rawValue: objective) else {
                throw CLIError("--objective: expected flowScale, faGRPO or flowGRPO, got \(objective)")
            }
            file.options.objective = o
        }
        if let iterations { file.iterations = iterations }
        try file.validate()
        let judgePath = try Self.judgePath(reward)
        let prefix = plot ?? (out.hasSuffix(".sqlite") ? String(out.dropLast(7)) : out)
        let (policyPath, out, resolution, configured) = (policy, out, resolution, file)
        try runBlocking {
            try await Self.train(policyPath: policyPath, task: simTask, file: configured, explicitOuterSteps: configured.outerStepsGiven,
                                 out: out, plotPrefix: prefix, resolution: resolution, judgePath: judgePath)
        }
    }

    /// The judge run file of `--reward judge:PATH`, nil for `oracle`.
    static func judgePath(_ reward: String) throws -> String? {
        if reward == "oracle" { return nil }
        guard reward.hasPrefix("judge:"), reward.count > 6 else {
            throw CLIError("--reward: expected 'oracle' or 'judge:PATH', got \(reward)")
        }
        let path = String(reward.dropFirst(6))
        guard FileManager.default.fileExists(atPath: path) else { throw CLIError("--reward: no judge run file at \(path)") }
        return path
    }

    static func train(policyPath: String, task: SimTask, file: RLConfigFile, explicitOuterSteps: Bool, out: String,
                      plotPrefix: String, resolution: Int, judgePath: String? = nil) async throws {
        let sftStore = try SQLiteCheckpointStore(path: policyPath, mode: .readOnly)
        let store = try SQLiteCheckpointStore(path: out, mode: .openOrCreate)
        let policy: FlowPolicy
        var start = 0
        var file = file
        if (try? store.runRecord()) != nil {
            policy = try await FlowPolicy.load(from: store)
            start = try store.latest()?.step ?? 0
            print("resuming \(out) at iteration \(start)")
        } else {
            policy = try await FlowPolicy.load(from: sftStore, weightsOnly: true)
        }
        if !explicitOuterSteps {
            file.options.outerSteps = (task.stepLimit + policy.configuration.chunkSteps - 1) / policy.configuration.chunkSteps
        }
        if start == 0, (try? store.runRecord()) == nil {
            let config = JSONValue.object([(FlowPolicy.configurationKey, policy.configuration.json), ("rl", file.json),
                                           ("sft", .string(policyPath)),
                                           ("reward", .string(judgePath.map { "judge:" + $0 } ?? "oracle"))])
            try store.createRun(try makeRunRecord(kind: "policy-rl", config: config, seed: file.options.seed))
            try store.save(try await policy.checkpoint(step: 0, wallTime: Date().timeIntervalSince1970, tags: ["sft"]))
        }
        if let rate = file.learningRate { try await policy.setLearningRate(rate) }
        let reference: FlowPolicy? = file.options.objectiveConfiguration.klCoefficient > 0
            ? try await FlowPolicy.load(from: sftStore, weightsOnly: true) : nil
        let simulator = try BulletEnvironment(renderer: try SoftRasterizer(), resolution: resolution)
        // The one line to change for RL inside Prophet: WorldModelEnvironment(model: prophet, ...) instead.
        let environment = ScaledActionEnvironment(base: simulator, scaling: policy.actionScaling)
        let rewardSource: RewardSource
        if let judgePath {
            let judge = try await VideoJudge.load(from: try SQLiteCheckpointStore(path: judgePath, mode: .readOnly))
            rewardSource = .model(judge, framesPerSecond: 10)
            print("reward: learned video judge \(judgePath) (training success below is still the simulator's, for reference)")
        } else {
            rewardSource = .environmentSuccess
            print("reward: simulator oracle (success predicate)")
        }
        let trainer = try GRPOTrainer(options: file.options, policy: policy, reference: reference,
                                      environment: environment, reward: rewardSource)
        print("rl: \(task.rawValue), \(file.options.objective.rawValue), \(file.options.groupsPerIteration)×\(file.options.groupSize) "
              + "rollouts of ≤ \(file.options.outerSteps) chunks per iteration, \(file.iterations) iterations")
        let retention = try RetentionPolicy(keepLast: 2)
        for iteration in start..<max(start, file.iterations) {
            let clock = ContinuousClock(), began = clock.now
            let report = try await trainer.iterate(iteration)
            let seconds = Double((clock.now - began).components.attoseconds) * 1e-18 + Double((clock.now - began).components.seconds)
            var metrics: [String: Double] = [
                "reward_mean": report.meanReward, "success_rate": report.successRate,
                "zero_std_groups": report.allEqualGroupFraction, "clip_fraction": report.clipFraction, "kl": report.kl,
                "approx_kl": report.approxKL, "ratio_mean": report.meanRatio, "loss": report.loss,
                "grad_norm": report.gradientNorm, "updates": Double(report.updates), "iteration_seconds": seconds,
            ]
            for (k, norm) in report.perStepGradientNorms.enumerated() { metrics["grad_norm_k\(k)"] = norm }
            if judgePath != nil {
                // How often the judge's verdict matches the simulator's success predicate on these (on-policy) rollouts.
                let agree = zip(report.rewards, report.successes).filter { ($0.0 >= 0.5) == $0.1 }.count
                metrics["judge_agreement"] = Double(agree) / Double(max(report.rewards.count, 1))
            }
            try store.logMetrics(step: iteration + 1, metrics)
            print(String(format: "iter %d: reward %.3f, zero-std groups %.2f, clip %.3f, kl %.2e, |g| %.3f, %.1f s",
                         iteration + 1, report.meanReward, report.allEqualGroupFraction, report.clipFraction, report.kl,
                         report.gradientNorm, seconds))
            if let agreement = metrics["judge_agreement"] {
                print(String(format: "        judge agrees with the simulator on %.1f %% of rollouts (true success rate %.3f)",
                             100 * agreement, report.successRate))
            }
            fflush(nil)
            if (iteration + 1) % file.checkpointEvery == 0 || iteration + 1 == file.iterations {
                try store.save(try await policy.checkpoint(step: iteration + 1, wallTime: Date().timeIntervalSince1970,
                                                           metrics: ["reward_mean": report.meanReward]), retention: retention)
            }
        }
        try writePlots(store: store, prefix: plotPrefix)
    }

    /// Reward/diagnostic curves and per-step gradient norms as PNGs.
    static func writePlots(store: SQLiteCheckpointStore, prefix: String) throws {
        let colors: [LinePlot.Color] = [(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
                                        (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207)]
        func series(_ names: [String]) throws -> [LinePlot.Series] {
            try names.enumerated().compactMap { i, name in
                let points = try store.metricSeries(name).map { (x: Double($0.step), y: $0.value) }
                return points.isEmpty ? nil : LinePlot.Series(name: name, points: points, color: colors[i % colors.count])
            }
        }
        let gradientNames = try store.metricNames().filter { $0.hasPrefix("grad_norm_k") }
        let plots: [(String, String, [String])] = [
            ("reward", "reward and group statistics", ["reward_mean", "zero_std_groups"]),
            ("diagnostics", "clip fraction and KL", ["clip_fraction", "kl", "approx_kl"]),
            ("gradnorms", "per-denoising-step gradient norms", gradientNames),
        ]
        for (suffix, title, names) in plots {
            let s = try series(names)
            guard !s.isEmpty else { continue }
            let path = "\(prefix)-\(suffix).png"
            try PNGImageWriter().write(try LinePlot(title: title, xLabel: "iteration", yLabel: "", series: s).render(), to: path)
            print("wrote \(path)")
        }
    }
}
