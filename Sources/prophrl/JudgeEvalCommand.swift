import ArgumentParser
import CheckpointSQLite
import Foundation
import ProphRL
import ProphRLCore
import VideoJudge

/// `prophrl judge eval --judge judge.sqlite [--judge more.sqlite --penalty K] --data rollouts.hdf5`.
struct JudgeEvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Accuracy, confusion counts and AUC of a trained judge (or an ensemble) on labelled episodes.",
        discussion: """
        With several --judge files, each judge's line comes first, then the ensemble's as 'rl train --reward judge-p:A,B,…' \
        scores it: the reward is mean − --penalty × std of the judges' P(success) (AUC of that, and of the plain mean); \
        success is the mean reaching the mean threshold.
        """)

    @Option(help: "Judge run file (from 'judge train'); repeat for an ensemble.") var judge: [String]
    @Option(help: "HDF5 episode file(s) with success labels (repeatable).") var data: [String]
    @Option(help: "Only episodes of this task (default: all).") var task: String?
    @Option(help: "With several --judge: the standard deviations of disagreement taken off the mean P(success) (default 1).")
    var penalty: Double?
    @Option(help: "Score Prophet's open-loop replays of the --data episodes (their recorded actions from the first frame) instead of the real videos.")
    var prophet: String?
    @Option(help: "Score the --data episodes' real videos after a round trip through this Prophet run's autoencoder (what a perfect DiT could show), instead of the real videos.")
    var reconstruct: String?
    @Option(help: "BLAS threads for --prophet or --reconstruct.") var threads: Int = 1
    @Option(help: "Also the within-group AUC, what group-normalised advantages use: the --data are imagined rollouts from 'rl train --imagined-out' of a run with this group size.")
    var groupSize: Int?

    func run() throws {
        let (judgePaths, data, task) = (judge, data, task)
        guard !judgePaths.isEmpty else { throw CLIError("--judge: give at least one judge run file") }
        let option = try JudgeRewardOption.checked(paths: judgePaths, probability: true, penalty: penalty, pathsOption: "--judge",
                                                   penaltyOption: "--penalty", ensemble: "two or more --judge")
        if prophet != nil && reconstruct != nil { throw CLIError("--reconstruct: choose either --prophet or --reconstruct") }
        if let groupSize, groupSize < 1 { throw CLIError("--group-size: expected an integer ≥ 1, got \(groupSize)") }
        let replayed = try prophet.map { try JudgeProphetOptions.replay(prophet: $0, data: data, task: task, threads: threads) }
            ?? reconstruct.map { try JudgeProphetOptions.reconstructed(prophet: $0, data: data, task: task, threads: threads) }
        let lines = try runBlocking { () async throws -> [String] in
            // Each episode's features for every judge, then the episode is dropped: imagined-rollout files are large.
            let (_, judges) = try await option.load()
            var features = judges.map { _ in [[Float]]() }, labels: [Bool] = [], instructions: [String] = []
            var ids: [String] = [], seeds: [UInt64] = [], files: [Int] = []
            func add(_ episode: Episode, file: Int) throws {
                for (j, judge) in judges.enumerated() { features[j].append(try judge.features(episode.video, states: episode.states)) }
                labels.append(episode.success)
                instructions.append(episode.instruction)
                ids.append(episode.id)
                seeds.append(episode.seed)
                files.append(file)
            }
            if let replayed { try replayed.forEach { try add($0, file: 0) } } else {
                try await JudgeCommand.forEachEpisode(data, task: task) { _, file, episode in try add(episode, file: file) }
            }
            let groups = try groupSize.map { size in
                try JudgeDataset.groups(files: files, episodeIDs: ids, seeds: seeds, groupSize: size, option: "--group-size")
            }
            func withGroups(_ line: String, _ p: [Double]) -> String {
                guard let groups else { return line }
                return line + "; " + Self.withinGroupSummary(p: p, labels: labels, groups: groups).text
            }
            var perJudge: [[Double]] = []
            for (judge, judgeFeatures) in zip(judges, features) {
                perJudge.append(try await judge.probabilities(features: judgeFeatures, instructions: instructions))
            }
            if judges.count == 1 {
                return [withGroups(Self.summary("judge eval", p: perJudge[0], labels: labels, threshold: judges[0].configuration.threshold),
                                   perJudge[0])]
            }
            let ensemble = try VideoJudgeEnsembleReward(judges: judges, penalty: option.penalty)
            let byEpisode = labels.indices.map { i in perJudge.map { $0[i] } }
            let mean = byEpisode.map { $0.reduce(0, +) / Double($0.count) }
            let combined = byEpisode.map { VideoJudgeEnsembleReward.combine($0, penalty: ensemble.penalty) }
            let meanAUC = RankAgreement.overall(scores: mean, labels: labels).map { String(format: "%.3f", $0) } ?? "n/a (one class)"
            return zip(judgePaths, zip(perJudge, judges)).map { path, pj in
                withGroups(Self.summary("judge \(path)", p: pj.0, labels: labels, threshold: pj.1.configuration.threshold), pj.0)
            } + [withGroups(Self.summary("ensemble of \(judges.count), reward mean − \(ensemble.penalty) × std", p: combined, labels: labels,
                                         threshold: ensemble.threshold, decide: mean) + "; AUC of the plain mean \(meanAUC)", combined)]
        }
        lines.forEach { print($0) }
    }

    /// The within-group AUC of `p` over `groups` (positions), and a line with it and how many groups hold both
    /// outcomes: only those give the advantages anything to rank.
    static func withinGroupSummary(p: [Double], labels: [Bool], groups: [[Int]]) -> (text: String, auc: Double?) {
        let order = groups.flatMap { $0 }
        let auc = RankAgreement.withinGroups(scores: order.map { p[$0] }, labels: order.map { labels[$0] },
                                             groupSize: groups.first?.count ?? 1)
        let mixed = groups.filter { group in Set(group.map { labels[$0] }).count == 2 }.count
        return ("within-group AUC \(auc.map { String(format: "%.3f", $0) } ?? "n/a (no group holds both outcomes)") "
                + "over \(mixed) of \(groups.count) groups with both outcomes", auc)
    }

    /// Accuracy at `threshold` (deciding on `decide`, default the scores), confusion counts, AUC of the scores `p`,
    /// and the mean score on each class.
    static func summary(_ label: String, p: [Double], labels: [Bool], threshold: Double, decide: [Double]? = nil) -> String {
        var tp = 0, tn = 0, fp = 0, fn = 0
        for (prob, label) in zip(decide ?? p, labels) {
            switch (prob >= threshold, label) {
            case (true, true): tp += 1
            case (false, false): tn += 1
            case (true, false): fp += 1
            case (false, true): fn += 1
            }
        }
        // The order of the scores is what a group-normalised reward uses; the threshold is not.
        let auc = RankAgreement.overall(scores: p, labels: labels).map { String(format: "%.3f", $0) } ?? "n/a (one class)"
        func meanP(_ label: Bool) -> String {
            let chosen = zip(p, labels).filter { $0.1 == label }.map(\.0)
            return chosen.isEmpty ? "n/a" : String(format: "%.3f", chosen.reduce(0, +) / Double(chosen.count))
        }
        return String(format: "%@: accuracy %.1f %% on %d episodes (true pos %d, true neg %d, false pos %d, false neg %d)",
                      label, 100 * Double(tp + tn) / Double(p.count), p.count, tp, tn, fp, fn)
            + "; AUC \(auc); mean P(success) \(meanP(true)) on successes, \(meanP(false)) on failures"
    }
}
