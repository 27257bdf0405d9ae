import ProphRLCore

/// A fake ``RewardModel`` that applies a closure to the rollout (e.g. "success if the last frame is bright").
public struct ScriptedRewardModel: RewardModel {
    /// The judgement.
    public let judge: @Sendable (VideoClip, String) -> RewardVerdict

    /// Creates the model.
    public init(judge: @escaping @Sendable (VideoClip, String) -> RewardVerdict) { self.judge = judge }

    /// Applies the closure.
    public func score(rollout: VideoClip, instruction: String) async throws -> RewardVerdict {
        judge(rollout, instruction)
    }
}
