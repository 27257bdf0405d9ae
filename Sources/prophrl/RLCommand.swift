import ArgumentParser
import BulletSimulator
import CheckpointSQLite
import FlowPolicy
import Foundation
import HDF5Episodes
import PNGImage
import ProphetDiT
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
        abstract: "Train an SFT policy by RL in the simulator, or inside Prophet (--world) with a learned judge; resumes --out.",
        discussion: """
        Config keys (RLConfigFile): seed 0, groupSize 8, groupsPerIteration 4, outerSteps 1, eta 0.5,
        objective flowScale|faGRPO|flowGRPO, clipEpsilon 0.2, klCoefficient 0.01, minibatchRollouts 16, epochs 1,
        iterations 20, learningRate (SFT's), checkpointEvery 5, keepCheckpoints 2, freezeEncoders false (true: RL trains only the flow
        action head), rewardControl none|shuffledInGroups (the control arm: each group's rewards permuted among its rollouts),
        anchorWeight 0 and anchorBatch 32 (the imitation anchor on --anchor-demos: weight and examples per update).
        outerSteps defaults to cover the task's step limit when the config leaves it out. Diagnostics go to the run's metrics and to PNG plots (--plot).
        With --world PROPHET.sqlite --starts DATA.hdf5 --reward judge:JUDGE.sqlite, rollouts run inside Prophet
        (WorldModelEnvironment, fast sampler): each reset picks the first frame, instruction and state of a recorded
        episode; Prophet's chunk, frame size and rate must match the policy's, and the reward must be a judge.
        """)

    @Option(help: "SFT policy run file.") var policy: String
    @Option(help: "Task name.") var task: String
    @Option(help: "JSON config (default: built-in defaults).") var config: String?
    @Option(help: "Override the ablation switch: flowScale, faGRPO or flowGRPO.") var objective: String?
    @Option(help: "Override iterations.") var iterations: Int?
    @Option(help: "The RL run file (SQLite checkpoints and metrics).") var out: String
    @Option(help: "PNG file prefix for the diagnostic plots (default: --out without extension).") var plot: String?
    @Option(help: "Square camera resolution; must match the policy's training data.") var resolution: Int = 64
    @Option(help: "Reward: 'oracle' (the simulator's success predicate), 'judge:PATH' (a learned video judge run file; 0/1 at its threshold), 'judge-p:PATH' (the judge's P(success) as a continuous reward), 'judge-p:A,B,…' (an ensemble of judges: mean − --judge-penalty × std of their P(success)), or, as a diagnostic with --world --physics-shadow, 'physics-shadow' (the open-loop physics outcome of the imagined actions: a perfect judge of what the actions do; it needs the simulator, so it is not the method).")
    var reward: String = "oracle"
    @Option(help: "With an ensemble reward 'judge-p:A,B,…': the standard deviations of the judges' disagreement taken off their mean P(success) (default 1; 0 is the plain mean).")
    var judgePenalty: Double?
    @Option(help: "A Prophet run file ('world train --chunk-frames 4'): RL inside the world model instead of the simulator.")
    var world: String?
    @Option(help: "With --world: HDF5 episodes whose first frame, instruction and state are the rollouts' starts.")
    var starts: String?
    @Option(help: "With --world: chunk offsets into the --starts episodes where rollouts begin, comma-separated (default 0: their first frames). A later offset resumes the recorded episode: its earlier real frames open Prophet's history and the judged video, and the physics shadow replays its recorded chunks first. Record such starts with 'sim eval --integrated-state --rollouts-out'.")
    var startChunks: String = "0"
    @Flag(help: "With --world: the judge also ends a rollout early when it declares success at a chunk end.")
    var judgeTerminates = false
    @Flag(help: "With --world: replay each imagined rollout's actions open-loop in the simulator from its start's recorded seed; logs physics success and the judged-minus-physics gap per iteration (the policy still learns only inside Prophet).")
    var physicsShadow = false
    @Option(help: "With --physics-shadow: append every imagined episode (Prophet video, physics success label) to this HDF5 file, for 'judge train --generated-data'.")
    var imaginedOut: String?
    @Option(help: "HDF5 demonstrations for the imitation anchor (config anchorWeight > 0): each update adds anchorWeight × the flow-matching loss of anchorBatch of their examples, seen through --view-through when given (usually the SFT data).")
    var anchorDemos: String?
    @Option(help: "The policy sees every frame (the start's and Prophet's with --world, the camera's in the simulator) after a round trip through this Prophet run's autoencoder, as it was fine-tuned with 'policy sft --view-through' (usually the --world file).")
    var viewThrough: String?
    @Flag(help: "In the simulator (no --world): the policy sees the state integrated from its own actions, as inside Prophet and on the robot ('sim eval --integrated-state'), not the measured one.")
    var integratedState = false

    func run() throws {
        let worldSetup = try worldOptions()
        ViewThroughOption.warnIfMismatched(policy: policy, given: viewThrough)
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
        if file.options.anchorWeight > 0 && anchorDemos == nil {
            throw CLIError("--anchor-demos: required when the config's anchorWeight is above 0 (the imitation anchor's demonstrations)")
        }
        if let anchorDemos {
            if file.options.anchorWeight == 0 { throw CLIError("--anchor-demos: needs anchorWeight > 0 in the config") }
            if !FileManager.default.fileExists(atPath: anchorDemos) { throw CLIError("--anchor-demos: no such file '\(anchorDemos)'") }
        }
        let judgeReward = try JudgeRewardOption.parse(reward: reward, penalty: judgePenalty)
        let prefix = plot ?? (out.hasSuffix(".sqlite") ? String(out.dropLast(7)) : out)
        let (policyPath, out, resolution, configured, anchorDemos) = (policy, out, resolution, file, anchorDemos)
        let (viewPath, integrated) = (viewThrough, integratedState)
        if let viewPath, !FileManager.default.fileExists(atPath: viewPath) { throw CLIError("--view-through: no such file '\(viewPath)'") }
        try runBlocking {
            try await Self.train(policyPath: policyPath, task: simTask, file: configured, explicitOuterSteps: configured.outerStepsGiven,
                                 out: out, plotPrefix: prefix, resolution: resolution, judgeReward: judgeReward, world: worldSetup,
                                 anchorDemos: anchorDemos, viewThrough: viewPath, integratedState: integrated)
        }
    }

    /// `--world`/`--starts`/`--judge-terminates` checked for presence; nil without `--world`.
    func worldOptions() throws -> WorldRL? {
        guard let world else {
            if starts != nil { throw CLIError("--starts: only meaningful with --world") }
            if startChunks != "0" { throw CLIError("--start-chunks: only meaningful with --world") }
            if judgeTerminates { throw CLIError("--judge-terminates: only meaningful with --world") }
            if physicsShadow { throw CLIError("--physics-shadow: only meaningful with --world") }
            if imaginedOut != nil { throw CLIError("--imagined-out: only meaningful with --world --physics-shadow") }
            if reward == Self.shadowReward { throw CLIError("--reward physics-shadow: only meaningful with --world --physics-shadow") }
            return nil
        }
        if imaginedOut != nil && !physicsShadow { throw CLIError("--imagined-out: needs --physics-shadow (the labels come from physics)") }
        if integratedState { throw CLIError("--integrated-state: only meaningful in the simulator (inside Prophet the state is always integrated)") }
        guard let starts else { throw CLIError("--starts: required with --world (HDF5 episodes for the rollouts' first frames)") }
        for (option, path) in [("--world", world), ("--starts", starts)]
        where !FileManager.default.fileExists(atPath: path) {
            throw CLIError("\(option): no such file '\(path)'")
        }
        if reward == "oracle" { throw CLIError(WorldModelRLError.oracleReward.description) }
        let shadowReward = reward == Self.shadowReward
        if shadowReward && !physicsShadow {
            throw CLIError("--reward physics-shadow: needs --physics-shadow (the reward is the shadow simulator's outcome)")
        }
        if shadowReward && judgeTerminates { throw CLIError("--judge-terminates: needs a judge reward") }
        let offsets = startChunks.split(separator: ",", omittingEmptySubsequences: false)
            .map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !offsets.isEmpty, offsets.allSatisfy({ ($0 ?? -1) >= 0 }) else {
            throw CLIError("--start-chunks: expected comma-separated chunk offsets ≥ 0, e.g. 0,4,8; got '\(startChunks)'")
        }
        return WorldRL(prophet: world, starts: starts, startChunks: offsets.compactMap { $0 }, judgeTerminates: judgeTerminates,
                       physicsShadow: physicsShadow, imaginedOut: imaginedOut, shadowReward: shadowReward)
    }

    /// The `--reward` value that makes the physics shadow's outcome the reward (a diagnostic, not the method).
    static let shadowReward = "physics-shadow"

    static func train(policyPath: String, task: SimTask, file: RLConfigFile, explicitOuterSteps: Bool, out: String,
                      plotPrefix: String, resolution: Int, judgeReward: JudgeRewardOption? = nil, world: WorldRL? = nil,
                      anchorDemos: String? = nil, viewThrough: String? = nil, integratedState: Bool = false) async throws {
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
            let rewardName: String = judgeReward?.name ?? (world?.shadowReward == true ? shadowReward : "oracle")
            let environmentName: String = world.map { "prophet:" + $0.prophet } ?? "simulator"
            let startsValue: JSONValue = world.map { JSONValue.string($0.starts) } ?? .null
            let config = JSONValue.object([(FlowPolicy.configurationKey, policy.configuration.json), ("rl", file.json),
                                           ("sft", .string(policyPath)), ("reward", .string(rewardName)),
                                           ("environment", .string(environmentName)), ("starts", startsValue),
                                           ("startChunks", .array((world?.startChunks ?? [0]).map { .integer(Int64($0)) })),
                                           ("judgeTerminates", .bool(world?.judgeTerminates ?? false))]
                                          + (judgeReward.flatMap { $0.paths.count > 1 ? [("judgePenalty", JSONValue.number($0.penalty))] : nil } ?? [])
                                          + (world == nil ? [("stateInput", .string(integratedState ? "integrated" : "measured"))] : [])
                                          + (viewThrough.map { [("viewThrough", JSONValue.string($0))] } ?? [])
                                          + (anchorDemos.map { [("anchorDemos", JSONValue.string($0))] } ?? []))
            try store.createRun(try makeRunRecord(kind: "policy-rl", config: config, seed: file.options.seed))
            try store.save(try await policy.checkpoint(step: 0, wallTime: Date().timeIntervalSince1970, tags: ["sft"]))
        }
        if let rate = file.learningRate { try await policy.setLearningRate(rate) }
        if file.freezeEncoders {
            await policy.freezeObservationEncoders(true)
            print("policy: observation encoders frozen; RL trains the flow action head only")
        }
        let reference: FlowPolicy? = file.options.objectiveConfiguration.klCoefficient > 0
            ? try await FlowPolicy.load(from: sftStore, weightsOnly: true) : nil
        let rewardSource: RewardSource
        var judges: [VideoJudge] = []
        if let judgeReward {
            let (model, loaded) = try await judgeReward.load()
            if let world, world.startChunks != [0], let reading = loaded.first(where: { $0.configuration.statePoints > 0 }) {
                // The collector hands the judge the policy's decision states only, not a resumed episode's recorded ones.
                throw CLIError("--start-chunks: a judge that reads states (statePoints \(reading.configuration.statePoints)) needs rollouts from "
                               + "the episodes' first frames (--start-chunks 0)")
            }
            if loaded.count > 1, world?.judgeTerminates == true {
                throw CLIError("--judge-terminates: needs a single judge, not an ensemble")
            }
            judges = loaded
            rewardSource = .model(model, framesPerSecond: 10)
            print(judgeReward.describe(loaded)
                  + (world == nil ? " (training success below is still the simulator's, for reference)" : ""))
        } else if world?.shadowReward == true {
            // PhysicsShadowEnvironment reports the physics outcome as each step's success.
            rewardSource = .environmentSuccess
            print("reward: the physics shadow's outcome of the imagined actions (a diagnostic: a perfect judge of what the "
                  + "actions do, from the simulator)")
        } else {
            rewardSource = .environmentSuccess
            print("reward: simulator oracle (success predicate)")
        }
        if file.options.rewardControl == .shuffledInGroups {
            print("reward control: each group's rewards are permuted among its rollouts (the update carries no reward information)")
        }
        var loop = TrainingLoop(file: file, start: start, store: store, plotPrefix: plotPrefix,
                                reportAgreement: judgeReward != nil && (world == nil || world?.physicsShadow == true))
        // The autoencoder view is loaded once: the anchor's demos and Prophet's rollouts share it.
        let view = try viewThrough.map { try ViewThroughOption.load($0, resolution: resolution) }
        if let anchorDemos {
            let (demos, examples) = try await PolicySFTCommand.demonstrationExamples(
                data: anchorDemos, task: task.rawValue, view: view, viewThrough: viewThrough,
                chunkSteps: policy.configuration.chunkSteps, option: "--anchor-demos")
            loop.anchorExamples = examples
            print("imitation anchor: weight \(file.options.anchorWeight), \(file.options.anchorBatch) of \(examples.count) examples "
                  + "(\(demos) demos in \(anchorDemos)\(view == nil ? "" : ", seen through the view")) per update")
        }
        if let world {
            if judges.isEmpty && !world.shadowReward { throw CLIError(WorldModelRLError.oracleReward.description) }
            let prophet = try await world.environment(policy: policy, task: task, resolution: resolution,
                                                      maxChunks: file.options.outerSteps, judge: judges.first)
            if let path = viewThrough { print("policy view: every frame after a round trip through \(path)'s autoencoder") }
            print("environment: Prophet \(world.prophet) (fast sampler), starts from \(world.starts)"
                  + (world.startChunks == [0] ? "" : " at chunks \(world.startChunks.map(String.init).joined(separator: ","))")
                  + (world.judgeTerminates ? "; the judge ends rollouts early on success" : ""))
            if world.physicsShadow {
                loop.shadowReward = world.shadowReward
                let audited = PhysicsShadowEnvironment(
                    world: prophet, shadow: try BulletEnvironment(renderer: try SoftRasterizer(), resolution: resolution))
                print("physics shadow: each imagined rollout's actions are replayed open-loop in the simulator from its start's seed"
                      + (world.imaginedOut.map { "; imagined episodes with physics labels → \($0)" } ?? ""))
                loop.audit = ImaginationAudit(environment: audited, out: world.imaginedOut.map { HDF5EpisodeStore(path: $0) })
                try await loop.run(in: audited, view: view, policy: policy, reference: reference, reward: rewardSource, task: task)
            } else {
                try await loop.run(in: prophet, view: view, policy: policy, reference: reference, reward: rewardSource, task: task)
            }
        } else {
            let simulator = try BulletEnvironment(renderer: try SoftRasterizer(), resolution: resolution)
            if let viewThrough { print("policy view: every camera frame after a round trip through \(viewThrough)'s autoencoder") }
            if integratedState {
                print("policy state: integrated from its own actions (the protocol of Prophet and the robot)")
                try await loop.run(in: IntegratedStateEnvironment(base: simulator), view: view, policy: policy, reference: reference,
                                   reward: rewardSource, task: task)
            } else {
                try await loop.run(in: simulator, view: view, policy: policy, reference: reference, reward: rewardSource, task: task)
            }
        }
    }

    /// Reward/diagnostic curves and per-step gradient norms as PNGs.
    static func writePlots(store: SQLiteCheckpointStore, prefix: String) throws {
        let colors = LinePlot.palette
        func series(_ names: [String]) throws -> [LinePlot.Series] {
            try names.enumerated().compactMap { i, name in
                let points = try store.metricSeries(name).map { (x: Double($0.step), y: $0.value) }
                return points.isEmpty ? nil : LinePlot.Series(name: name, points: points, color: colors[i % colors.count])
            }
        }
        let names = try store.metricNames()
        let gradientNames = names.filter { $0.hasPrefix("grad_norm_k") }
        let plots: [(String, String, [String])] = [
            ("reward", "reward and group statistics", ["reward_mean", "zero_std_groups"]),
            ("diagnostics", "clip fraction and KL", ["clip_fraction", "kl", "approx_kl"]),
            ("gradnorms", "per-denoising-step gradient norms", gradientNames),
        ] + (!names.contains("imagination_gap") ? [] : [
            ("imagination", "judged reward vs physics success of the same actions",
             ["reward_mean", "success_rate", "imagination_gap"]),
        ])
        for (suffix, title, names) in plots {
            let s = try series(names)
            guard !s.isEmpty else { continue }
            let path = "\(prefix)-\(suffix).png"
            try PNGImageWriter().write(try LinePlot(title: title, xLabel: "iteration", yLabel: "", series: s).render(), to: path)
            print("wrote \(path)")
        }
    }
}
