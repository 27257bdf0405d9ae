import ProphRLCore

/// The action-frame markers of a recorded episode, one list per video frame (flow-eval.md §5): frame 0 shows
/// the recorded initial state, and each later frame the pose reached by one more recorded action, integrated
/// from the recorded state before its chunk with ``ActionIntegrator`` (the real-robot protocol).
///
/// ```swift
/// let frames = try EpisodeActionFrames.markers(for: episode, semantics: .absoluteDifference)
/// for (image, markers) in zip(episode.video.frames, frames) { try renderer.render(markers, over: image) }
/// ```
public enum EpisodeActionFrames {
    /// One marker list per frame of `episode.video` (one marker per end effector).
    /// - Throws: ``ValidationError`` naming `episode.chunks` if the episode has none, or `episode.video` if its
    ///   frame count is not 1 + the number of recorded actions.
    public static func markers(for episode: Episode, semantics: ActionSemantics) throws -> [[ActionFrameMarker]] {
        guard let first = episode.states.first else { throw ValidationError.empty(argument: "episode.chunks") }
        let actions = episode.chunks.reduce(0) { $0 + $1.steps }
        if episode.video.frames.count != actions + 1 {
            throw ValidationError.shapeMismatch(argument: "episode.video", expected: "\(actions + 1) frames (initial + one per action)",
                                                actual: "\(episode.video.frames.count) frames")
        }
        let integrator = ActionIntegrator(semantics: semantics)
        var states = [first]
        for (state, chunk) in zip(episode.states, episode.chunks) {
            states += try integrator.integrate(chunk, from: state)
        }
        return try states.map { state in
            try state.effectors.map { try ActionFrameMarker(toolPose: $0.pose, openness: $0.gripper) }
        }
    }
}
