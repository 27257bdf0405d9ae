import ProphRLCore

/// One closed-loop episode of a policy in an environment, as the update needs it.
public struct Rollout: Sendable, Equatable {
    /// One record per executed chunk: the observation and the chain that produced the chunk.
    public var records: [PolicyStepRecord]
    /// Per executed chunk, one done flag per executed action.
    public var done: [[Bool]]
    /// Every camera frame of the episode: the environment's frames before the reset (a start part-way into a
    /// recorded episode), the reset frame, then each chunk's frames.
    public var frames: [RGBImage]
    /// The environment's success predicate at the end.
    public var success: Bool
    /// The reward the judge gave.
    public var reward: Double

    /// Creates a rollout.
    public init(records: [PolicyStepRecord], done: [[Bool]], frames: [RGBImage], success: Bool, reward: Double) {
        self.records = records
        self.done = done
        self.frames = frames
        self.success = success
        self.reward = reward
    }

    /// Per-position done flags in execution order `s·CH + c` (the input of ``TerminationMask``).
    /// - Throws: ``ValidationError`` if a chunk other than the last stopped early.
    public func positionDone(chunk: Int) throws -> [Bool] {
        for (s, flags) in done.enumerated() where s < done.count - 1 && flags.count != chunk {
            throw ValidationError.invalid(argument: "rollout.done[\(s)]",
                                          reason: "chunk \(s) executed \(flags.count) of \(chunk) actions but was not the last")
        }
        return done.flatMap { $0 }
    }
}

/// Where rewards come from.
public enum RewardSource: Sendable {
    /// The environment's privileged success predicate (the simulator oracle): 1 or 0.
    case environmentSuccess
    /// A learned or scripted judge scoring the rollout video.
    case model(any RewardModel, framesPerSecond: Double)
}
