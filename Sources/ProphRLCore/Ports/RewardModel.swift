/// Port: scores a finished rollout video against its instruction (the paper uses a VLM judge with
/// task-specific criteria and binary success).
///
/// ```swift
/// let verdict = try await judge.score(rollout: clip, instruction: "place the bowl on the plate")
/// rewards.append(verdict.reward)   // 1 or 0
/// ```
public protocol RewardModel: Sendable {
    /// Judges one rollout.
    func score(rollout: VideoClip, instruction: String) async throws -> RewardVerdict
    /// Judges one rollout from its video and the robot state before each of its chunks (``Episode/states``'
    /// layout: inside a world model, the integrated state). A video-only model ignores the states.
    func score(rollout: VideoClip, instruction: String, states: [RobotState]) async throws -> RewardVerdict
}

extension RewardModel {
    /// A video-only judgement: the states are not read.
    public func score(rollout: VideoClip, instruction: String, states: [RobotState]) async throws -> RewardVerdict {
        try await score(rollout: rollout, instruction: instruction)
    }
}

/// A reward model's judgement of one rollout.
public struct RewardVerdict: Sendable, Equatable {
    /// The scalar reward (binary success: 1 or 0).
    public var reward: Double
    /// Whether the task was judged successful.
    public var success: Bool
    /// The index of the frame where success was first judged, if the model reports it.
    public var successFrame: Int?
    /// A short human-readable reason.
    public var rationale: String

    /// Creates a verdict.
    public init(reward: Double, success: Bool, successFrame: Int? = nil, rationale: String = "") {
        self.reward = reward
        self.success = success
        self.successFrame = successFrame
        self.rationale = rationale
    }
}
