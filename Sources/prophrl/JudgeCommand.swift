import ArgumentParser
import CheckpointSQLite
import Foundation
import HDF5Episodes
import ProphRL
import ProphRLCore
import VideoJudge

/// `prophrl judge`: the learned video judge (a reward model) trained on simulator-labelled rollouts.
struct JudgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "judge", abstract: "Train and evaluate the learned video judge (P(success) from rollout frames + instruction).",
        subcommands: [JudgeTrainCommand.self, JudgeEvalCommand.self])

    /// Features, instructions, success labels and origins of every episode in `paths` (optionally one task).
    static func load(_ paths: [String], task: String?, judge: VideoJudge) async throws -> JudgeDataset {
        var dataset = JudgeDataset()
        try await forEachEpisode(paths, task: task) { id, file, episode in
            dataset.append(episode, id: id, file: file, features: try judge.features(episode.video, states: episode.states))
        }
        return dataset
    }

    /// Calls `body` with every episode in `paths` (optionally one task), its id "path:id" and its file's index, one
    /// episode in memory at a time; throws when there is none.
    static func forEachEpisode(_ paths: [String], task: String?, _ body: (String, Int, Episode) throws -> Void) async throws {
        var count = 0
        for (file, path) in paths.enumerated() {
            guard FileManager.default.fileExists(atPath: path) else { throw CLIError("--data: no file at \(path)") }
            let store = HDF5EpisodeStore(path: path)
            for summary in try await store.list(task: task) {
                let episode = try await store.load(id: summary.id)
                try body("\(path):\(episode.id)", file, episode)
                count += 1
            }
        }
        guard count > 0 else { throw CLIError("--data: no episodes\(task.map { " of task \($0)" } ?? "") in \(paths)") }
    }
}

/// `prophrl judge train --data rollouts.hdf5 [--data more.hdf5] --out judge.sqlite`.
struct JudgeTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the video judge on episodes labelled by the simulator's success predicate; reports held-out accuracy.",
        discussion: """
        Episodes are split into train and held-out sets by a seeded shuffle (--held-out fraction). Collect labelled
        rollouts with 'sim collect' (expert; add --waypoint-noise for noisy experts that sometimes fail).
        Config keys (JSON, VideoJudgeConfiguration): seed 0, sampledFrames 4, imageSize 16, patchSize 4, patchWidth 16,
        hiddenWidth 32, vocabularySize 64, wordWidth 16, learningRate 3e-3, weightDecay 1e-4, threshold 0.5, statePoints 0
        (above 0: the judge also reads that many of each episode's states before its chunks, as displacement and gripper),
        differenceFrames 0 (1: each sampled frame is read as its change from the first, so the start's look cancels).
        """)

    @Option(help: "HDF5 episode file(s) with success labels (repeatable).") var data: [String]
    @Option(help: "Only episodes of this task (default: all).") var task: String?
    @Option(help: "JSON config (default: built-in defaults).") var config: String?
    @Option(help: "Optimizer steps.") var steps: Int = 300
    @Option(help: "Minibatch size.") var batch: Int = 32
    @Option(help: "Held-out fraction of the episodes.") var heldOut: Double = 0.25
    @Option(help: "Output judge run file (SQLite; replaced).") var out: String
    @Option(help: "The --data are imagined rollouts ('rl train --imagined-out') of a run with this group size: hold out whole starts (all their groups), draw minibatches of whole groups, and report the held-out within-group AUC.")
    var groupSize: Int?
    @Option(help: "With --group-size: weight of the within-group pairwise ranking loss −log σ(z_success − z_failure) added to the binary cross-entropy.")
    var rankingWeight: Double = 0
    @OptionGroup var prophet: JudgeProphetOptions

    func run() throws {
        try prophet.check()
        guard steps >= 1 else { throw CLIError("--steps: expected ≥ 1, got \(steps)") }
        guard batch >= 1 else { throw CLIError("--batch: expected ≥ 1, got \(batch)") }
        guard heldOut > 0, heldOut < 1 else { throw CLIError("--held-out: expected a fraction in (0, 1), got \(heldOut)") }
        let grouping = try JudgeGrouping.checked(groupSize: groupSize, rankingWeight: rankingWeight, prophet: prophet)
        var configuration = VideoJudgeConfiguration()
        if let config {
            guard case .object(let members) = try JSONValue.parse(try readText(config, option: "--config")) else {
                throw CLIError("--config: expected a JSON object")
            }
            do { try configuration.apply(members); try configuration.validate() } catch { throw CLIError("--config: \(error)") }
        }
        let replayed = try prophet.replayed(task: task)
        let summary = try runBlocking { [data, task, steps, batch, heldOut, out, configuration] in
            try await Self.train(data: data, task: task, configuration: configuration, steps: steps, batch: batch,
                                 heldOut: heldOut, out: out, generated: replayed, grouping: grouping)
        }
        print(summary)
    }

    /// Trains and saves a judge; returns a one-line summary with the held-out accuracy.
    static func train(data: [String], task: String?, configuration: VideoJudgeConfiguration, steps: Int, batch: Int,
                      heldOut: Double, out: String, quiet: Bool = false, generated: [Episode] = [],
                      grouping: JudgeGrouping? = nil) async throws -> String {
        let judge = try VideoJudge(configuration: configuration)
        var all = try await JudgeCommand.load(data, task: task, judge: judge)
        let realCount = all.count
        for episode in generated {
            all.append(episode, id: "prophet:\(episode.id)", file: -1, features: try judge.features(episode.video, states: episode.states))
        }
        var rng = SeededGenerator(seed: configuration.seed).fork(0x5eed)
        // Real and Prophet-generated episodes are split separately, so each has its own held-out set and accuracy.
        let groups = try grouping.map { try all.groups(groupSize: $0.groupSize, option: "--group-size") } ?? []
        var test: [Int] = [], train: [Int] = [], testGroups: [[Int]] = [], trainGroups: [[Int]] = []
        if grouping != nil {
            // Split by start, not by group: runs drawing from one --starts file meet the same starts, so a held-out
            // start is held out in all of its groups and is one the judge never saw.
            let starts = Array(Set(groups.map { all.seeds[$0[0]] })).sorted()
            let (heldStarts, _) = try Self.split(Array(starts.indices), heldOut: heldOut, rng: &rng, option: "--group-size",
                                                 unit: "starts")
            let held = Set(heldStarts.map { starts[$0] })
            (testGroups, trainGroups) = (groups.filter { held.contains(all.seeds[$0[0]]) }, groups.filter { !held.contains(all.seeds[$0[0]]) })
            (test, train) = (testGroups.flatMap { $0 }, trainGroups.flatMap { $0 })
        } else {
            (test, train) = try Self.split(Array(0..<realCount), heldOut: heldOut, rng: &rng, option: "--data")
        }
        var generatedTest: [Int] = [], generatedTrain: [Int] = []
        if !generated.isEmpty {
            var generatedRNG = rng.fork(0x9e4)
            (generatedTest, generatedTrain) = try Self.split(Array(realCount..<all.ids.count), heldOut: heldOut, rng: &generatedRNG,
                                                             option: "--prophet-data")
        }
        let trainAll = train + generatedTrain
        let pick = all.pick
        let positives = trainAll.filter { all.labels[$0] }.count
        if !quiet {
            print("judge: \(trainAll.count) train episodes (\(positives) successful; \(generatedTrain.count) Prophet-generated), "
                  + "\(test.count) real + \(generatedTest.count) generated held out; \(await judge.parameterCount) parameters")
        }
        if positives == 0 || positives == trainAll.count {
            print("warning: every training episode has the same label; the judge cannot learn to separate them")
        }
        // Written under a temporary name and renamed at the end, so `out` is never a half-trained judge.
        let partial = out + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        var trainAccuracy = 0.0, testAccuracy = 0.0, baseRate = 0.0, generatedAccuracy: Double?, generatedRate = 0.0, ranking = ""
        do {  // the store's scope: it is closed (deinit) before the rename
        let store = try SQLiteCheckpointStore(path: partial, mode: .create)
        try store.createRun(try makeRunRecord(kind: "video-judge", config: .object([
            (VideoJudge.configurationKey, configuration.json), ("data", .array(data.map { .string($0) })),
            ("steps", .integer(Int64(steps))), ("batch", .integer(Int64(batch))), ("heldOut", .number(heldOut)),
            ("prophetGenerated", .integer(Int64(generated.count))),
        ] + (grouping.map { [("groupSize", .integer(Int64($0.groupSize))), ("rankingWeight", .number($0.rankingWeight))] } ?? [])),
            seed: configuration.seed))
        var bar = ProgressBar(total: steps, label: "judge train", style: .lines, write: { if !quiet { print($0, terminator: ""); fflush(nil) } })
        var batchRNG = rng.fork(1)
        for step in 0..<steps {
            let loss: Double
            if let grouping {
                // Whole groups, so that every pair of a success and a failure from one group is in the batch.
                let drawn = (0..<max(1, batch / grouping.groupSize)).map { _ in
                    trainGroups[Int(batchRNG.nextUniform() * Double(trainGroups.count)) % trainGroups.count]
                }
                let (f, ins, l) = pick(drawn.flatMap { $0 })
                loss = try await judge.trainStep(features: f, instructions: ins, labels: l, pairs: JudgeDataset.pairs(drawn, labels: all.labels),
                                                 rankingWeight: grouping.rankingWeight)
            } else {
                let idx = (0..<min(batch, trainAll.count)).map { _ in
                    trainAll[Int(batchRNG.nextUniform() * Double(trainAll.count)) % trainAll.count]
                }
                let (f, ins, l) = pick(idx)
                loss = try await judge.trainStep(features: f, instructions: ins, labels: l)
            }
            if (step + 1) % 25 == 0 || step + 1 == steps { try store.logMetrics(step: step + 1, ["loss": loss]) }
            bar.advance(detail: String(format: "loss %.4f", loss))
        }
        let (trF, trI, trL) = pick(trainAll), (teF, teI, teL) = pick(test)
        trainAccuracy = try await judge.accuracy(features: trF, instructions: trI, labels: trL)
        testAccuracy = try await judge.accuracy(features: teF, instructions: teI, labels: teL)
        baseRate = Double(teL.filter { $0 }.count) / Double(teL.count)
        var metrics = ["train_accuracy": trainAccuracy, "heldout_accuracy": testAccuracy, "heldout_success_rate": baseRate]
        if grouping != nil {
            let p = try await judge.probabilities(features: teF, instructions: teI)
            var scores = [Double](repeating: 0, count: all.count)   // indexed by position; only the held-out ones are read
            for (position, score) in zip(test, p) { scores[position] = score }
            let withinGroups = JudgeEvalCommand.withinGroupSummary(p: scores, labels: all.labels, groups: testGroups)
            ranking = withinGroups.text + "; overall AUC "
                + (RankAgreement.overall(scores: p, labels: teL).map { String(format: "%.3f", $0) } ?? "n/a (one class)")
            if let auc = withinGroups.auc { metrics["heldout_within_group_auc"] = auc }
        }
        if !generatedTest.isEmpty {
            let (gF, gI, gL) = pick(generatedTest)
            let accuracy = try await judge.accuracy(features: gF, instructions: gI, labels: gL)
            generatedAccuracy = accuracy
            generatedRate = Double(gL.filter { $0 }.count) / Double(gL.count)
            metrics["heldout_generated_accuracy"] = accuracy
            metrics["heldout_generated_success_rate"] = generatedRate
        }
        try store.save(try await judge.checkpoint(step: steps, wallTime: Date().timeIntervalSince1970, metrics: metrics))
        }
        if FileManager.default.fileExists(atPath: out) { try FileManager.default.removeItem(atPath: out) }
        try FileManager.default.moveItem(atPath: partial, toPath: out)
        var line = String(format: "judge: train accuracy %.1f %% (%d), held-out accuracy %.1f %% (%d real episodes, %.1f %% successful; "
                          + "majority baseline %.1f %%)", 100 * trainAccuracy, trainAll.count, 100 * testAccuracy, test.count,
                          100 * baseRate, 100 * max(baseRate, 1 - baseRate))
        if let generatedAccuracy {
            line += String(format: "; Prophet-generated held-out accuracy %.1f %% (%d episodes, %.1f %% successful; majority %.1f %%)",
                           100 * generatedAccuracy, generatedTest.count, 100 * generatedRate, 100 * max(generatedRate, 1 - generatedRate))
        }
        if grouping != nil { line += "; held-out groups (new starts): " + ranking }
        return line + " → \(out)"
    }

    /// A seeded shuffle of `indices` split into (held-out, train).
    static func split(_ indices: [Int], heldOut: Double, rng: inout SeededGenerator, option: String,
                      unit: String = "episodes") throws -> (test: [Int], train: [Int]) {
        var order = indices
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.nextUniform() * Double(i + 1)) % (i + 1)) }
        let testCount = max(1, Int((Double(order.count) * heldOut).rounded()))
        guard order.count > testCount else { throw CLIError("\(option): \(order.count) \(unit) are too few to hold out \(testCount)") }
        return (Array(order.prefix(testCount)), Array(order.dropFirst(testCount)))
    }
}

