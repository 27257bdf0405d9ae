import ArgumentParser
import CheckpointSQLite
import FlowPolicy
import Foundation
import HDF5Episodes
import ProphRL
import ProphRLCore

/// `prophrl policy`: the small VLA policy (flow-matching action head).
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "The flow-matching VLA policy: supervised fine-tuning on demonstrations.",
        subcommands: [PolicySFTCommand.self])
}

/// `prophrl policy sft --data demos.hdf5 --out policy.sqlite [--config sft.json]`.
struct PolicySFTCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sft",
        abstract: "Train the policy on expert demos with the flow-matching loss (AdamW); resumes an existing --out.",
        discussion: """
        The config is a JSON object {"policy": {...}, "sft": {...}}; absent keys keep their defaults (docs/policy.md).
        sft: seed 0, steps 400, batchSize 32, checkpointEvery 100.
        """)

    @Option(help: "HDF5 demonstrations written by 'sim collect'.") var data: String
    @Option(help: "Only demos of this task (default: every task in the file, multi-task).") var task: String?
    @Option(help: "JSON config file (default: built-in defaults).") var config: String?
    @Option(help: "Override sft.steps.") var steps: Int?
    @Option(help: "The run file (SQLite checkpoints and metrics).") var out: String
    @Option(help: "A Prophet run file: train on every demo frame after a round trip through its autoencoder, as 'sim eval --view-through' shows them.")
    var viewThrough: String?

    func run() throws {
        var policyConfiguration = FlowPolicyConfiguration()
        var options = SFTOptions()
        if let config {
            let root = try JSONValue.parse(try readText(config, option: "--config"))
            guard case .object(let members) = root else { throw CLIError("--config: expected a JSON object in \(config)") }
            for (key, value) in members {
                guard case .object(let inner) = value else { throw CLIError("--config: '\(key)' must be an object") }
                switch key {
                case "policy": try policyConfiguration.apply(inner)
                case "sft": try options.apply(inner)
                default: throw CLIError("--config: unknown section '\(key)' (expected policy, sft)")
                }
            }
            try policyConfiguration.validate()
        }
        if let steps { options.steps = steps }
        try options.validate()
        let (data, task, out, viewThrough) = (data, task, out, viewThrough)
        let (pc, opts) = (policyConfiguration, options)
        let view = try viewThrough.map { try ViewThroughOption.load($0) }
        try runBlocking {
            try await Self.train(data: data, task: task, out: out, configuration: pc, options: opts, view: view, viewThrough: viewThrough)
        }
    }

    /// The supervised examples of `data`'s successful demos (of `task`, or all), their frames seen through `view` (the
    /// autoencoder of the Prophet file `viewThrough`) when one is given, with a progress line per demo. Frames that
    /// `world view` already saw through the same run are read as they are (``ViewStamp``); `option` names the flag in errors.
    static func demonstrationExamples(data: String, task: String?, view: (any FrameView)?, viewThrough: String?,
                                      chunkSteps: Int, option: String) async throws -> (demos: Int, examples: [DemonstrationExample]) {
        let episodesStore = HDF5EpisodeStore(path: data)
        let summaries = try await episodesStore.list(task: task).filter(\.success)
        guard !summaries.isEmpty else { throw CLIError("\(option): no successful demos\(task.map { " of task \($0)" } ?? "") in \(data)") }
        let stamp = try await ViewStamp.read(data, option: option)
        let view = try ViewStamp.alreadyViewed(stamp, data: data, viewThrough: viewThrough, chunkSteps: chunkSteps,
                                               option: option) ? nil : view
        if let stamp, view == nil { print("\(option): \(data)'s frames are already seen through \(stamp.path)'s autoencoder") }
        var examples: [DemonstrationExample] = []
        var viewing = view.map { _ in
            ProgressBar(total: summaries.count, label: "autoencoder view", style: .lines, write: { print($0, terminator: ""); fflush(nil) })
        }
        for summary in summaries {
            var episode = try await episodesStore.load(id: summary.id)
            if let view {
                episode = try await ViewedFrames.episode(episode, through: view, chunkSteps: chunkSteps)
                viewing?.advance(detail: episode.id)
            }
            examples += try DemonstrationWindows.examples(from: episode, chunkSteps: chunkSteps)
        }
        return (summaries.count, examples)
    }

    static func train(data: String, task: String?, out: String, configuration: FlowPolicyConfiguration,
                      options: SFTOptions, view: (any FrameView)? = nil, viewThrough: String? = nil) async throws {
        let (demos, examples) = try await demonstrationExamples(data: data, task: task, view: view, viewThrough: viewThrough,
                                                                chunkSteps: configuration.chunkSteps, option: "--data")
        let store = try SQLiteCheckpointStore(path: out, mode: .openOrCreate)
        let policy: FlowPolicy
        var start = 0
        if (try? store.runRecord()) != nil {
            policy = try await FlowPolicy.load(from: store)
            start = try store.latest()?.step ?? 0
            print("resuming \(out) at step \(start)")
        } else {
            let config = JSONValue.object([(FlowPolicy.configurationKey, configuration.json), ("sft", options.json),
                                           ("data", .string(data)), ("task", .string(task ?? "all"))]
                                          + (viewThrough.map { [("viewThrough", JSONValue.string($0))] } ?? []))
            try store.createRun(try makeRunRecord(kind: "policy-sft", config: config, seed: configuration.seed))
            policy = try FlowPolicy(configuration: configuration)
        }
        guard start < options.steps else { print("\(out) is already at step \(start) of \(options.steps)"); return }
        let trainer = try SFTTrainer(options: options, examples: examples)
        print("sft: \(demos) demos, \(examples.count) examples, \(await policy.parameterCount) parameters, "
              + "\(options.steps) steps of \(min(options.batchSize, examples.count))")
        var bar = ProgressBar(total: options.steps, label: "sft", style: isatty(1) != 0 ? .bar : .lines,
                              write: { print($0, terminator: ""); fflush(nil) })
        bar.advance(by: start)
        var recent: [Double] = []
        let retention = try RetentionPolicy(keepLast: 2)
        for step in start..<options.steps {
            let report = try await trainer.step(step, policy: policy)
            recent.append(report.loss)
            if recent.count > 20 { recent.removeFirst() }
            try store.logMetrics(step: step + 1, ["loss": report.loss, "grad_norm": report.gradientNorm])
            if (step + 1) % options.checkpointEvery == 0 || step + 1 == options.steps {
                let mean = recent.reduce(0, +) / Double(recent.count)
                try store.save(try await policy.checkpoint(step: step + 1, wallTime: Date().timeIntervalSince1970,
                                                           metrics: ["loss": mean]), retention: retention)
            }
            bar.advance(detail: String(format: "loss %.4f", report.loss))
        }
        print("\nwrote \(out)")
    }
}
