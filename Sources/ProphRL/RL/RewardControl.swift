import ProphRLCore

/// A control arm for RL experiments: whether each rollout is credited with its own reward.
///
/// With ``shuffledInGroups`` every group's rewards are permuted among its rollouts before the advantages are
/// computed. Each group keeps exactly the reward values it earned (same mean, same spread, same zero-std groups,
/// same update sizes), but which rollout gets which value is random, so the update carries no information about
/// which actions the reward preferred. A gain that survives this control comes from the update's side effects
/// (noise, KL, selection among checkpoints), not from the reward.
public enum RewardControl: String, Sendable, Equatable, CaseIterable {
    /// Each rollout keeps its own reward (normal training).
    case none
    /// Rewards permuted within each group, seeded by the run seed and the iteration.
    case shuffledInGroups

    /// The rewards the advantages are computed from, for `rewards` laid out group after group.
    /// - Throws: ``ValidationError`` if `groupSize` < 1 or does not divide the reward count.
    public func apply(to rewards: [Double], groupSize: Int, seed: UInt64, iteration: Int) throws -> [Double] {
        guard self == .shuffledInGroups else { return rewards }
        try Validate.atLeastOne(groupSize, "groupSize")
        guard rewards.count % groupSize == 0 else {
            throw ValidationError.shapeMismatch(argument: "rewards", expected: "a multiple of groupSize \(groupSize)",
                                                actual: "\(rewards.count)")
        }
        // Its own stream, so the run's other random draws are those of the uncontrolled run with the same seed.
        var generator = SeededGenerator(seed: seed).fork(UInt64(iteration)).fork(Self.stream)
        var shuffled = rewards
        for start in stride(from: 0, to: rewards.count, by: groupSize) {
            shuffled[start..<(start + groupSize)].shuffle(using: &generator)
        }
        return shuffled
    }

    /// The generator stream of the shuffle ("shuffle" in ASCII).
    static let stream: UInt64 = 0x73_6875_6666_6C65
}
