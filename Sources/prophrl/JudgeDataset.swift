import ProphRL
import ProphRLCore

/// A judge's labelled episodes in memory: each one's input features, instruction and simulator label, and where it
/// came from (its file and id there, and its start seed), so that imagined rollouts can be regrouped into the RL
/// groups that produced them.
struct JudgeDataset {
    /// "path:id" of each episode (`prophet:id` for generated replays).
    var ids: [String] = []
    /// Index of the episode's file among the loaded paths (−1 for generated replays).
    var files: [Int] = []
    /// The episode's id inside its file.
    var episodeIDs: [String] = []
    /// The seed the episode's start was reset with.
    var seeds: [UInt64] = []
    var features: [[Float]] = []
    var instructions: [String] = []
    var labels: [Bool] = []

    /// The number of episodes.
    var count: Int { ids.count }

    /// Adds one episode with its features.
    mutating func append(_ episode: Episode, id: String, file: Int, features episodeFeatures: [Float]) {
        ids.append(id)
        files.append(file)
        episodeIDs.append(episode.id)
        seeds.append(episode.seed)
        features.append(episodeFeatures)
        instructions.append(episode.instruction)
        labels.append(episode.success)
    }

    /// Features, instructions and labels of the episodes at `positions`.
    func pick(_ positions: [Int]) -> (features: [[Float]], instructions: [String], labels: [Bool]) {
        (positions.map { features[$0] }, positions.map { instructions[$0] }, positions.map { labels[$0] })
    }

    /// The RL groups of `groupSize` rollouts (positions), recovered file by file from the ids `rl train
    /// --imagined-out` writes (``ImaginedEpisodeID``).
    /// - Throws: `CLIError` naming `option` when an episode is not an imagined rollout or a group is incomplete or
    ///   mixes starts.
    func groups(groupSize: Int, option: String) throws -> [[Int]] {
        try Self.groups(files: files, episodeIDs: episodeIDs, seeds: seeds, groupSize: groupSize, option: option)
    }

    /// The RL groups of `groupSize` rollouts among episodes given by their file, id and seed; each file is grouped on
    /// its own, since every `--imagined-out` file starts again at iteration 1, group 0.
    static func groups(files: [Int], episodeIDs: [String], seeds: [UInt64], groupSize: Int, option: String) throws -> [[Int]] {
        var result: [[Int]] = []
        for file in Set(files).sorted() {
            let positions = files.indices.filter { files[$0] == file }
            do {
                let local = try ImaginedEpisodeID.groups(ids: positions.map { episodeIDs[$0] }, seeds: positions.map { seeds[$0] },
                                                         groupSize: groupSize)
                result += local.map { group in group.map { positions[$0] } }
            } catch let error as ProphRLCore.ValidationError {
                guard case .invalid(_, let reason) = error else { throw error }
                throw CLIError("\(option): \(reason)")
            }
        }
        return result
    }

    /// Every (success, failure) pair inside each of `groups`, as positions into the concatenation of the groups.
    static func pairs(_ groups: [[Int]], labels: [Bool]) -> [(success: Int, failure: Int)] {
        var pairs: [(success: Int, failure: Int)] = [], offset = 0
        for group in groups {
            for (i, a) in group.enumerated() where labels[a] {
                for (j, b) in group.enumerated() where !labels[b] { pairs.append((offset + i, offset + j)) }
            }
            offset += group.count
        }
        return pairs
    }
}
