/// `judge train --group-size G [--ranking-weight λ]`: the judge learns from imagined rollouts in their RL groups.
///
/// Group-normalised advantages use a reward only through its order inside each group of rollouts from one start, so
/// a judge for RL must rank within groups. With a group size, whole starts are held out (new starts, as RL meets
/// them), minibatches are whole groups, and λ > 0 adds the pairwise ranking loss over each group's
/// (success, failure) pairs to the binary cross-entropy.
struct JudgeGrouping: Sendable {
    /// Rollouts per RL group in the `--data` files.
    var groupSize: Int
    /// Weight of the pairwise ranking loss (0: binary cross-entropy alone, on group minibatches).
    var rankingWeight: Double

    /// The grouping the options ask for, or nil without `--group-size`.
    /// - Throws: `CLIError` naming the option: a group size below 1, a negative or non-finite weight, a weight without
    ///   a group size, or a group size with Prophet replays (imagined rollouts go in `--data`).
    static func checked(groupSize: Int?, rankingWeight: Double, prophet: JudgeProphetOptions) throws -> JudgeGrouping? {
        guard rankingWeight >= 0, rankingWeight.isFinite else {
            throw CLIError("--ranking-weight: expected a number ≥ 0, got \(rankingWeight)")
        }
        guard let groupSize else {
            if rankingWeight > 0 { throw CLIError("--ranking-weight: needs --group-size (pairs are drawn inside RL groups)") }
            return nil
        }
        guard groupSize >= 1 else { throw CLIError("--group-size: expected an integer ≥ 1, got \(groupSize)") }
        if prophet.prophet != nil || !prophet.generatedData.isEmpty {
            throw CLIError("--group-size: give the imagined rollouts as --data; --prophet and --generated-data are not grouped")
        }
        return JudgeGrouping(groupSize: groupSize, rankingWeight: rankingWeight)
    }
}
