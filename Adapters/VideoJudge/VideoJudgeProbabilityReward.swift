import ProphRLCore

/// The video judge with a continuous reward: P(success) instead of the thresholded 0/1, success still at the
/// threshold. Rollouts the binary judge scores alike get different rewards, so fewer GRPO groups have zero spread.
///
/// ```swift
/// let reward = VideoJudgeProbabilityReward(judge: try await VideoJudge.load(from: store))
/// let verdict = try await reward.score(rollout: clip, instruction: "pick up the bottle")   // reward in [0, 1]
/// ```
public struct VideoJudgeProbabilityReward: RewardModel {
    /// The wrapped judge.
    public let judge: VideoJudge

    /// Wraps `judge`.
    public init(judge: VideoJudge) { self.judge = judge }

    /// P(success) as the reward; success when it reaches the judge's threshold.
    public func score(rollout: VideoClip, instruction: String) async throws -> RewardVerdict {
        verdict(try await judge.probabilities(features: [try judge.features(rollout)], instructions: [instruction])[0])
    }

    /// P(success) from the video and the states as the reward.
    public func score(rollout: VideoClip, instruction: String, states: [RobotState]) async throws -> RewardVerdict {
        verdict(try await judge.probabilities(features: [try judge.features(rollout, states: states)], instructions: [instruction])[0])
    }

    func verdict(_ p: Double) -> RewardVerdict {
        RewardVerdict(reward: p, success: p >= judge.configuration.threshold,
                      rationale: "video judge P(success) = \((p * 1000).rounded() / 1000)")
    }
}
