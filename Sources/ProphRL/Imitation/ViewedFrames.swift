import ProphRLCore

/// A recorded video as a policy looking through a ``FrameView`` would have seen it: frame t becomes the view of the
/// frames since a decision `chunkSteps` frames earlier (`ViewedEnvironment`'s window when the policy acts every
/// `chunkSteps` frames), so that a policy fine-tuned on the result sees at every step what it sees at evaluation.
public enum ViewedFrames {
    /// The viewed frames of `frames`, one per frame; `progress` is called after each.
    /// - Throws: ``ValidationError`` naming `chunkSteps` when it is below 1; what the view throws.
    public static func frames(_ frames: [RGBImage], through view: any FrameView, chunkSteps: Int,
                              progress: (Int) -> Void = { _ in }) async throws -> [RGBImage] {
        try Validate.atLeastOne(chunkSteps, "chunkSteps")
        guard let first = frames.first else { return [] }
        var viewed: [RGBImage] = []
        viewed.reserveCapacity(frames.count)
        for t in frames.indices {
            viewed.append(try await view.view(recent: Array(frames[max(0, t - chunkSteps)...t]), first: first))
            progress(t + 1)
        }
        return viewed
    }

    /// `episode` with its video replaced by ``frames(_:through:chunkSteps:progress:)`` of it, at the same frame rate.
    /// - Throws: what ``frames(_:through:chunkSteps:progress:)`` and ``VideoClip`` throw.
    public static func episode(_ episode: Episode, through view: any FrameView, chunkSteps: Int) async throws -> Episode {
        var viewed = episode
        viewed.video = try VideoClip(frames: try await frames(episode.video.frames, through: view, chunkSteps: chunkSteps),
                                     framesPerSecond: episode.video.framesPerSecond)
        return viewed
    }
}
