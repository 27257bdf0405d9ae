import ProphRLCore

/// Several judges' P(success) as one pessimistic reward, mean − penalty × std across the judges: a rollout only
/// some judges like earns less, so the policy gains less from one judge's errors (an exploit of that judge).
///
/// ```swift
/// let reward = try VideoJudgeEnsembleReward(judges: [a, b, c], penalty: 1)
/// let verdict = try await reward.score(rollout: clip, instruction: "place the bowl on the plate", states: states)
/// ```
public struct VideoJudgeEnsembleReward: RewardModel {
    /// The judges, each reading the rollout with its own features.
    public let judges: [VideoJudge]
    /// How many standard deviations of disagreement are taken off the mean P(success) (0: the plain mean).
    public let penalty: Double

    /// Combines `judges` (at least one) with `penalty` ≥ 0.
    public init(judges: [VideoJudge], penalty: Double) throws {
        try Validate.atLeastOne(judges.count, "judges")
        try Validate.finite(penalty, "penalty")
        if penalty < 0 { throw ValidationError.outOfRange(argument: "penalty", expected: ">= 0", actual: penalty) }
        self.judges = judges
        self.penalty = penalty
    }

    /// The ensemble's success bar: the mean of the judges' thresholds.
    public var threshold: Double { judges.map(\.configuration.threshold).reduce(0, +) / Double(judges.count) }

    /// Each judge's P(success) for one rollout, read from its video and (for judges that read them) its states.
    public func probabilities(rollout: VideoClip, instruction: String, states: [RobotState]?) async throws -> [Double] {
        var p: [Double] = []
        for judge in judges {
            let features = try states.map { try judge.features(rollout, states: $0) } ?? judge.features(rollout)
            p.append(try await judge.probabilities(features: [features], instructions: [instruction])[0])
        }
        return p
    }

    /// mean − penalty × std of `probabilities`, clamped to [0, 1]; the std is the sample one (n − 1), 0 for one judge.
    public static func combine(_ probabilities: [Double], penalty: Double) -> Double {
        let n = Double(probabilities.count)
        let mean = probabilities.reduce(0, +) / n
        let variance = probabilities.count > 1 ? probabilities.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1) : 0
        return min(1, max(0, mean - penalty * variance.squareRoot()))
    }

    /// The pessimistic P(success) from the video alone; success when the judges' mean P reaches ``threshold``.
    public func score(rollout: VideoClip, instruction: String) async throws -> RewardVerdict {
        verdict(try await probabilities(rollout: rollout, instruction: instruction, states: nil))
    }

    /// The pessimistic P(success) from the video and the states.
    public func score(rollout: VideoClip, instruction: String, states: [RobotState]) async throws -> RewardVerdict {
        verdict(try await probabilities(rollout: rollout, instruction: instruction, states: states))
    }

    func verdict(_ p: [Double]) -> RewardVerdict {
        let mean = p.reduce(0, +) / Double(p.count), reward = Self.combine(p, penalty: penalty)
        func rounded(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
        return RewardVerdict(reward: reward, success: mean >= threshold,
                             rationale: "\(judges.count) judges: mean P(success) \(rounded(mean)), reward \(rounded(reward))")
    }
}
