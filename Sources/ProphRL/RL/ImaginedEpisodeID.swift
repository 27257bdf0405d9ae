import ProphRLCore

/// The id `rl train --imagined-out` gives an imagined rollout: `<task>-imagined-it<iteration>-<index>`.
///
/// Rollouts are collected group after group (``RolloutCollector/group(task:resetSeed:size:noise:outerSteps:eta:)``),
/// so `index / groupSize` is the rollout's group within its iteration. That lets a judge be checked on what
/// group-normalised advantages use, its ranking inside each group, from a file of imagined rollouts alone.
public struct ImaginedEpisodeID: Hashable, Sendable, CustomStringConvertible {
    /// The task's name.
    public var task: String
    /// The RL iteration that produced the rollout, from 1.
    public var iteration: Int
    /// The rollout's position in its iteration's batch, from 0, group after group.
    public var index: Int

    /// The id of rollout `index` of iteration `iteration` (from 1) of `task`.
    public init(task: String, iteration: Int, index: Int) {
        (self.task, self.iteration, self.index) = (task, iteration, index)
    }

    /// Parses an id written by ``description``; nil for any other id.
    public init?(parsing id: String) {
        // From the end, since task names hold hyphens: <task> - imagined - it<N> - <k>.
        let parts = id.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[parts.count - 3] == "imagined", parts[parts.count - 2].hasPrefix("it"),
              let iteration = Int(parts[parts.count - 2].dropFirst(2)), let index = Int(parts[parts.count - 1]),
              iteration >= 1, index >= 0 else { return nil }
        let task = parts.dropLast(3).joined(separator: "-")
        guard !task.isEmpty else { return nil }
        self.init(task: task, iteration: iteration, index: index)
    }

    /// `<task>-imagined-it<iteration>-<index>`.
    public var description: String { "\(task)-imagined-it\(iteration)-\(index)" }

    /// Positions of `ids` (with their simulator seeds) gathered into the RL groups of `groupSize` rollouts each:
    /// one array per group, in (task, iteration, group) order, members in index order.
    /// - Throws: ``ValidationError`` naming `groupSize` if it is below 1, an id is not an imagined rollout's, or a
    ///   group is incomplete or mixes starts (a wrong group size: a group's rollouts share one seed).
    public static func groups(ids: [String], seeds: [UInt64], groupSize: Int) throws -> [[Int]] {
        try Validate.atLeastOne(groupSize, "groupSize")
        guard ids.count == seeds.count else {
            throw ValidationError.shapeMismatch(argument: "seeds", expected: "\(ids.count) (one per id)", actual: "\(seeds.count)")
        }
        struct Key: Hashable, Comparable {
            var task: String, iteration: Int, group: Int
            static func < (a: Key, b: Key) -> Bool { (a.task, a.iteration, a.group) < (b.task, b.iteration, b.group) }
        }
        var members: [Key: [(index: Int, position: Int)]] = [:]
        for (position, id) in ids.enumerated() {
            guard let parsed = ImaginedEpisodeID(parsing: id) else {
                throw ValidationError.invalid(argument: "groupSize", reason: "episode '\(id)' is not an imagined rollout "
                                              + "(ids <task>-imagined-it<iteration>-<index>, as 'rl train --imagined-out' writes)")
            }
            let key = Key(task: parsed.task, iteration: parsed.iteration, group: parsed.index / groupSize)
            members[key, default: []].append((parsed.index, position))
        }
        return try members.keys.sorted().map { key in
            let group = members[key]!.sorted { $0.index < $1.index }.map(\.position)
            guard group.count == groupSize else {
                throw ValidationError.invalid(argument: "groupSize", reason: "group \(key.group) of iteration \(key.iteration) "
                                              + "has \(group.count) rollouts, not \(groupSize)")
            }
            guard Set(group.map { seeds[$0] }).count == 1 else {
                throw ValidationError.invalid(argument: "groupSize", reason: "group \(key.group) of iteration \(key.iteration) "
                                              + "mixes starts (seeds differ); is \(groupSize) the run's group size?")
            }
            return group
        }
    }
}
