import CheckpointSQLite
import Foundation
import ProphRLCore
import VideoJudge

/// `--reward judge:PATH`, `judge-p:PATH`, or `judge-p:A,B,…` with `--judge-penalty K`: the learned judges that score
/// rollouts, and how their verdicts become the reward.
struct JudgeRewardOption: Sendable, Equatable {
    /// The judge run files (one, or an ensemble).
    var paths: [String]
    /// Whether the reward is P(success) rather than the 0/1 verdict.
    var probability: Bool
    /// An ensemble's penalty on disagreement: the reward is mean − penalty × std of the judges' P(success).
    var penalty: Double

    /// The ensemble penalty when `--judge-penalty` is not given.
    static let defaultPenalty = 1.0

    /// The run record's `reward` value.
    var name: String { (probability ? "judge-p:" : "judge:") + paths.joined(separator: ",") }

    /// The judges of `--reward` (nil for `oracle` and `physics-shadow`), checked: files exist, an ensemble is continuous.
    static func parse(reward: String, penalty: Double?) throws -> JudgeRewardOption? {
        if reward == "oracle" || reward == RLTrainCommand.shadowReward {
            if penalty != nil { throw CLIError("--judge-penalty: only meaningful with an ensemble reward 'judge-p:A,B,…'") }
            return nil
        }
        let probability = reward.hasPrefix("judge-p:")
        let prefix = probability ? "judge-p:" : "judge:"
        guard reward.hasPrefix(prefix), reward.count > prefix.count else {
            throw CLIError("--reward: expected 'oracle', 'judge:PATH', 'judge-p:PATH', 'judge-p:A,B,…' or 'physics-shadow', got \(reward)")
        }
        let paths = reward.dropFirst(prefix.count).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        if let empty = paths.firstIndex(where: \.isEmpty) {
            throw CLIError("--reward: judge \(empty + 1) of '\(reward)' has an empty path")
        }
        if paths.count > 1 && !probability {
            throw CLIError("--reward: an ensemble of judges needs the continuous reward 'judge-p:\(paths.joined(separator: ","))'")
        }
        return try checked(paths: paths, probability: probability, penalty: penalty, pathsOption: "--reward",
                           penaltyOption: "--judge-penalty", ensemble: "an ensemble reward 'judge-p:A,B,…'")
    }

    /// `paths` and `penalty` checked: every judge file exists and is listed once, and a penalty (≥ 0) comes only with
    /// two or more judges; errors name `pathsOption` and `penaltyOption`, and say a penalty needs `ensemble`.
    static func checked(paths: [String], probability: Bool, penalty: Double?, pathsOption: String, penaltyOption: String,
                        ensemble: String) throws -> JudgeRewardOption {
        for path in paths where !FileManager.default.fileExists(atPath: path) {
            throw CLIError("\(pathsOption): no judge run file at \(path)")
        }
        if Set(paths).count < paths.count { throw CLIError("\(pathsOption): a judge is listed twice") }
        if let penalty {
            if paths.count < 2 { throw CLIError("\(penaltyOption): only meaningful with \(ensemble)") }
            guard penalty.isFinite, penalty >= 0 else { throw CLIError("\(penaltyOption): expected a number ≥ 0, got \(penalty)") }
        }
        return JudgeRewardOption(paths: paths, probability: probability, penalty: penalty ?? defaultPenalty)
    }

    /// Loads the judges and the reward model over them.
    func load() async throws -> (reward: any RewardModel, judges: [VideoJudge]) {
        var judges: [VideoJudge] = []
        for path in paths { judges.append(try await VideoJudge.load(from: try SQLiteCheckpointStore(path: path, mode: .readOnly))) }
        if judges.count > 1 { return (try VideoJudgeEnsembleReward(judges: judges, penalty: penalty), judges) }
        return (probability ? VideoJudgeProbabilityReward(judge: judges[0]) : judges[0], judges)
    }

    /// A line for the log.
    func describe(_ judges: [VideoJudge]) -> String {
        let states = judges.map(\.configuration.statePoints).max() ?? 0
        let reading = states == 0 ? "" : ", reading \(judges.count > 1 ? "up to " : "")\(states) of each rollout's states"
        if judges.count > 1 {
            return "reward: an ensemble of \(judges.count) learned judges (\(paths.joined(separator: ", "))), mean − \(penalty) × std "
                + "of their P(success)\(reading)"
        }
        return "reward: learned video judge \(paths[0])\(probability ? ", P(success) as the reward" : "")\(reading)"
    }
}
