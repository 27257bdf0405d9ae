import ProphRLCore

/// Cuts recorded episodes into supervised examples: at every recorded step t, the observation before it and the
/// next CH actions (past the end: zero motion with the last gripper command, i.e. "hold still").
public enum DemonstrationWindows {
    /// The examples of `episode` for chunks of `chunkSteps` actions of effector 0.
    /// - Throws: ``ValidationError`` if `chunkSteps < 1` or the video has fewer frames than steps.
    public static func examples(from episode: Episode, chunkSteps: Int) throws -> [DemonstrationExample] {
        try Validate.atLeastOne(chunkSteps, "chunkSteps")
        var actions: [[Double]] = []
        var observations: [Observation] = []
        var frame = 0
        for (state, chunk) in zip(episode.states, episode.chunks) {
            guard frame < episode.video.frames.count else {
                throw ValidationError.shapeMismatch(argument: "episode \(episode.id) video", expected: "a frame per step",
                                                    actual: "\(episode.video.frames.count) frames")
            }
            observations.append(Observation(image: episode.video.frames[frame], instruction: episode.instruction, state: state,
                                            firstImage: episode.video.frames[0]))
            for t in 0..<chunk.steps {
                // Sub-steps of a multi-step chunk have no own state; they only extend the action list.
                if t > 0 { observations.append(observations[observations.count - 1]) }
                actions.append(try chunk.action(step: t, effector: 0)?.values ?? [0, 0, 0, 0, 0, 0, 1])
            }
            frame += chunk.steps
        }
        guard let last = actions.last else { return [] }
        let hold = [0, 0, 0, 0, 0, 0, last[6]]
        return try observations.indices.map { t in
            let rows = (0..<chunkSteps).map { j in t + j < actions.count ? actions[t + j] : hold }
            let chunk = try ActionChunk(actions: try rows.map { [try EndEffectorAction(values: $0)] }, maxEffectors: 1)
            return DemonstrationExample(observation: observations[t], target: chunk)
        }
    }
}
