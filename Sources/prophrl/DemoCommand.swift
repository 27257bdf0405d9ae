import ArgumentParser
import BulletSimulator
import Foundation
import HDF5Episodes
import ProphRL
import ProphRLCore
import SoftRaster

/// `prophrl demo`: the whole pipeline for one task at demo scale — collect expert demos → SFT → RL → evaluate
/// SFT vs RL in physics on fresh seeds → table, RL plots and MP4s of sample episodes.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run collect → SFT → RL → evaluation in physics for one task and print the SFT vs RL table.",
        discussion: """
        Default scale (≈ 4 min on 2 cores): 100 expert demos, 3000 SFT steps of 64, 25 RL iterations of 4×8
        rollouts for FA-GRPO + FlowScale and for the FA-GRPO ablation (configs/pick-bottle-rl.json settings, same
        SFT start and RL seed), 3 evaluation runs × 100 episodes per
        policy on seeds from 10,000,000 (never trained on). --quick: a smoke run of well under a minute
        (FlowScale only).
        RL runs in the simulator with the oracle reward (or --reward judge:PATH). With --world PROPHET.sqlite
        (a 'world train --chunk-frames 4' run on 10 Hz 64×64 data) and --reward judge:PATH, RL runs inside Prophet
        from the demos' first frames, and only the evaluation uses physics. The default demo does not train a
        Prophet itself: a useful one takes longer than the whole demo budget on 2 cores.
        """)

    @Option(help: "Task name.") var task: String = "pick-bottle"
    @Option(help: "Output folder (replaced stage by stage).") var out: String = "out/demo"
    @Flag(help: "Tiny sizes for a smoke test (well under a minute).") var quick = false
    @Option(help: "Reward for RL: 'oracle', 'judge:PATH' (a 'judge train' run file) or 'judge-p:PATH' (its P(success)).")
    var reward: String = "oracle"
    @Option(help: "A trained Prophet run file ('world train --chunk-frames 4'): RL inside the world model (needs --reward judge:PATH).")
    var world: String?

    /// The sizes of one demo run.
    struct Scale {
        var demos = 100, sftSteps = 3000, sftBatch = 64, rlIterations = 25, groups = 4, groupSize = 8
        var evalRuns = 3, evalEpisodes = 100

        static let quick = Scale(demos: 6, sftSteps: 150, sftBatch: 32, rlIterations: 2, groups: 2, groupSize: 4,
                                 evalRuns: 1, evalEpisodes: 3)
    }

    func run() throws {
        let simTask: SimTask
        do { simTask = try SimTask(name: task) } catch { throw CLIError("--task: \(error)") }
        let judgeReward = try JudgeRewardOption.parse(reward: reward, penalty: nil)
        if let world {
            guard FileManager.default.fileExists(atPath: world) else { throw CLIError("--world: no such file '\(world)'") }
            if judgeReward == nil { throw CLIError(WorldModelRLError.oracleReward.description) }
        }
        let (scale, out) = (quick ? Scale.quick : Scale(), out)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let clock = ContinuousClock(), began = clock.now
        func elapsed() -> String {
            let d = clock.now - began
            return String(format: "%.1f s", Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
        }
        @Sendable func path(_ name: String) -> String { (out as NSString).appendingPathComponent(name) }
        let judges = judgeReward.map { $0.paths.joined(separator: ", ") } ?? ""
        let environmentLine = world.map { "Prophet \($0) with the learned video judge \(judges) as reward" }
            ?? judgeReward.map { _ in "simulator (Bullet physics) with the learned video judge \(judges) as reward" }
            ?? "simulator (Bullet physics) with the oracle reward (its success predicate)"
        print("prophrl demo: task \(simTask.rawValue)\(quick ? " (quick)" : ""); RL environment: \(environmentLine)")

        // 1. Expert demonstrations.
        let demos = path("demos.hdf5")
        for stale in [demos, path("sft.sqlite")] { try? FileManager.default.removeItem(atPath: stale) }
        print("\n[1/4] collecting \(scale.demos) expert demos → \(demos)")
        let camera = try SimCommand.camera(64)
        let renderer = try SoftRasterizer()
        var bar = ProgressBar(total: scale.demos, label: "collect", style: .lines, write: { print($0, terminator: ""); fflush(nil) })
        var episodes: [Episode] = [], successes = 0
        for k in 0..<scale.demos {
            let episode = try ExpertDemonstration.record(task: simTask, seed: UInt64(k), renderer: renderer, camera: camera)
            if episode.success { successes += 1 }
            episodes.append(episode)
            bar.advance(detail: "\(successes)/\(k + 1) successful")
        }
        let demoEpisodes = episodes
        try runBlocking { try await HDF5EpisodeStore(path: demos, camera: camera).save(contentsOf: demoEpisodes) }
        print("demos done at \(elapsed())")

        // 2. SFT.
        let sft = path("sft.sqlite")
        print("\n[2/4] SFT → \(sft)")
        var sftOptions = SFTOptions()
        sftOptions.steps = scale.sftSteps
        sftOptions.batchSize = scale.sftBatch
        sftOptions.checkpointEvery = scale.sftSteps
        let sftConfiguration = sftOptions
        try runBlocking {
            try await PolicySFTCommand.train(data: demos, task: simTask.rawValue, out: sft, configuration: .init(),
                                             options: sftConfiguration)
        }
        print("SFT done at \(elapsed())")

        // 3. RL: FA-GRPO + FlowScale, and (default scale) the FA-GRPO ablation from the same SFT start and seed.
        let objectives: [RLOptions.Objective] = quick ? [.flowScale] : [.flowScale, .faGRPO]
        var rlRuns: [(name: String, path: String)] = []
        for (i, objective) in objectives.enumerated() {
            let name = objective == .flowScale ? "rl" : "rl-\(objective.rawValue)"
            let rl = path("\(name).sqlite")
            try? FileManager.default.removeItem(atPath: rl)
            print("\n[3/4] RL \(i + 1)/\(objectives.count), \(objective == .flowScale ? "FA-GRPO + FlowScale" : "FA-GRPO (ablation)") → \(rl)")
            var file = RLConfigFile()
            file.options.seed = 1
            file.options.task = simTask.rawValue
            file.options.objective = objective
            file.options.groupSize = scale.groupSize
            file.options.groupsPerIteration = scale.groups
            file.options.eta = 0.4
            file.options.objectiveConfiguration.klCoefficient = 0.01
            file.options.minibatchRollouts = 8
            file.learningRate = 2e-4
            file.iterations = scale.rlIterations
            file.checkpointEvery = scale.rlIterations
            try file.validate()
            let rlFile = file
            let worldRL = world.map { WorldRL(prophet: $0, starts: demos, judgeTerminates: false) }
            try runBlocking {
                try await RLTrainCommand.train(policyPath: sft, task: simTask, file: rlFile, explicitOuterSteps: false, out: rl,
                                               plotPrefix: path(name), resolution: 64, judgeReward: judgeReward, world: worldRL)
            }
            rlRuns.append((name, rl))
            print("RL done at \(elapsed())")
        }

        // 4. Evaluation in physics, fresh seeds.
        print("\n[4/4] evaluating SFT and RL: \(scale.evalRuns) runs × \(scale.evalEpisodes) episodes each, seeds from 10,000,000")
        var results: [String] = []
        for (name, policy) in [("sft", sft)] + rlRuns {
            let rates = try runBlocking {
                try await SimEvalCommand.evaluate(path: policy, task: simTask, episodes: scale.evalEpisodes, runs: scale.evalRuns,
                                                  seedBase: 10_000_000, step: nil, resolution: 64, framesDir: nil,
                                                  videoDir: path("videos/\(name)"))
            }
            let json = path("eval-\(name).json")
            try SimEvalCommand.writeJSON(to: json, policy: policy, task: simTask.rawValue, rates: rates,
                                         episodes: scale.evalEpisodes, seedBase: 10_000_000)
            results.append(json)
        }
        let table = try RLReportCommand.table(results)
        let markdown = table.render(markdown: true)
        try AtomicFile.write(Array((markdown + "\n").utf8), to: path("table.md"))
        print("\n== \(simTask.rawValue): success in physics (%, mean ± std over \(scale.evalRuns) runs × \(scale.evalEpisodes) episodes) ==")
        print(table.render(markdown: false))
        print("\nRL environment: \(environmentLine)")
        print("plots: " + rlRuns.flatMap { r in ["reward", "diagnostics", "gradnorms"].map { path("\(r.name)-\($0).png") } }.joined(separator: ", "))
        print("videos: " + (["sft"] + rlRuns.map(\.name)).map { path("videos/\($0)") }.joined(separator: ", ")
              + " (MP4, first episode of each evaluation run)")
        print("table: \(path("table.md")); total \(elapsed())")
    }
}
