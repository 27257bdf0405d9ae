import ProphRLCore

/// Wraps an environment so the policy's observation image passes through a ``FrameView`` (e.g. Prophet's
/// autoencoder round trip, `sim eval --view-through`). Recorded frames, states, success and termination are the
/// base's; only `observation.image` changes.
///
/// ```swift
/// let environment = ViewedEnvironment(base: simulator, view: try ProphetAutoencoderView(model: model))
/// ```
public actor ViewedEnvironment<Base: Environment>: Environment {
    /// The wrapped environment.
    public let base: Base
    /// The base's description.
    public nonisolated let description: EnvironmentDescription
    private let frameView: any FrameView
    private var seen: RGBImage?
    private var first: RGBImage?

    /// Creates the wrapper.
    public init(base: Base, view: any FrameView) {
        self.base = base
        self.frameView = view
        description = base.description
    }

    /// Resets the base and views its first frame.
    public func reset(task: String, seed: UInt64) async throws -> Observation {
        var observation = try await base.reset(task: task, seed: seed)
        let start = observation.firstImage ?? observation.image
        (seen, first) = (observation.image, start)
        observation.image = try await frameView.view(recent: [observation.image], first: start)
        return observation
    }

    /// Steps the base and views the frames since the last observation.
    /// - Throws: ``ValidationError`` naming `step` before a reset, or what the base or the view throws.
    public func step(_ chunk: ActionChunk) async throws -> EnvironmentStep {
        guard let previous = seen, let first else {
            throw ValidationError.invalid(argument: "step", reason: "no episode running; call reset")
        }
        var result = try await base.step(chunk)
        let current = result.observation.image
        // The base's frames end at the observation's frame; a base without frames (none executed) shows just it.
        let recent = [previous] + (result.frames.isEmpty ? [current] : result.frames)
        seen = current
        result.observation.image = try await frameView.view(recent: recent, first: first)
        return result
    }

    /// The base's frames before the reset observation.
    public func framesBeforeReset() async -> [RGBImage] { await base.framesBeforeReset() }

    /// Closes the base.
    public func close() async throws {
        (seen, first) = (nil, nil)
        try await base.close()
    }
}
