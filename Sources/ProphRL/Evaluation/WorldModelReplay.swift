import ProphRLCore

/// Replays a recorded episode's actions open-loop through a world model from its first frame, so the generated
/// video can carry the recorded episode's simulator success label (judge training on world-model rollouts).
///
/// The actions are regrouped into the model's chunk length; a last partial chunk is padded by repeating its final
/// action and the generated video is cut to the recorded frame count, so real and generated videos have equal length.
///
/// ```swift
/// let replay = try WorldModelReplay(chunkFrames: 4, semantics: .absoluteDifference)
/// let generated = try await replay.replay(prophet, episode: episode, seed: 7)   // same id suffix, same label
/// ```
public struct WorldModelReplay: Sendable {
    /// Frames the world model generates per call (its chunk length).
    public let chunkFrames: Int
    /// How the recorded actions move the robot; with it, each call gets the integrated robot state (action frames).
    public let semantics: ActionSemantics?

    /// Creates a replayer for a model with `chunkFrames`-frame chunks; `semantics` (if given) integrates the robot
    /// state from the episode's first recorded state, for models that draw action frames.
    /// - Throws: ``ValidationError`` naming `chunkFrames` if below 1.
    public init(chunkFrames: Int, semantics: ActionSemantics? = nil) throws {
        try Validate.atLeastOne(chunkFrames, "chunkFrames")
        self.chunkFrames = chunkFrames
        self.semantics = semantics
    }

    /// The episode with its video replaced by the world model's open-loop rollout (first frame kept); id gets a
    /// `-generated` suffix, the success label is the recorded one.
    /// - Throws: ``ValidationError`` naming `episode` when it has no frame or no action, or what the port throws.
    public func replay(_ model: some WorldModel, episode: Episode, seed: UInt64) async throws -> Episode {
        guard let first = episode.video.frames.first else {
            throw ValidationError.invalid(argument: "episode", reason: "\(episode.id) has no frame")
        }
        let target = episode.video.frames.count - 1
        let generated = try await generate(model, episode: episode, chunks: try actionChunks(of: episode), frames: target, seed: seed)
        let video = try VideoClip(frames: [first] + generated.prefix(target), framesPerSecond: episode.video.framesPerSecond)
        return try Episode(id: episode.id + "-generated", task: episode.task, instruction: episode.instruction, seed: episode.seed,
                           video: video, states: episode.states, chunks: episode.chunks, success: episode.success)
    }

    /// The frames `model` generates open-loop for `chunks` from the episode's first frame (chunk k sampled with
    /// seed `seed + k`), stopping once at least `frames` exist. With ``semantics`` each call also gets the robot
    /// state, integrated from the episode's first recorded state.
    /// - Throws: ``ValidationError`` naming `episode` when it has no frame, or what the port throws.
    public func generate(_ model: some WorldModel, episode: Episode, chunks: [ActionChunk], frames: Int = .max,
                         seed: UInt64) async throws -> [RGBImage] {
        guard let first = episode.video.frames.first else {
            throw ValidationError.invalid(argument: "episode", reason: "\(episode.id) has no frame")
        }
        let integrator = semantics.map { ActionIntegrator(semantics: $0) }
        var context = WorldModelContext(frames: [first], state: integrator == nil ? nil : episode.states.first)
        var generated: [RGBImage] = []
        for (k, chunk) in chunks.enumerated() where generated.count < frames {
            let clip = try await model.predict(context: context, actions: chunk, seed: seed &+ UInt64(k))
            if let integrator, let state = context.state { context.state = try integrator.integrate(chunk, from: state).last }
            generated += clip.frames
            context.frames += clip.frames
        }
        return generated
    }

    /// The recorded actions regrouped into `chunkFrames`-action chunks, the last padded with its final action.
    /// - Throws: ``ValidationError`` naming `episode` when it has no action.
    public func actionChunks(of episode: Episode) throws -> [ActionChunk] {
        var rows: [[Float]] = []
        guard let reference = episode.chunks.first else {
            throw ValidationError.invalid(argument: "episode", reason: "\(episode.id) has no recorded action")
        }
        for chunk in episode.chunks {
            let width = chunk.flatDimension
            for step in 0..<chunk.steps { rows.append(Array(chunk.values[(step * width)..<((step + 1) * width)])) }
        }
        guard let last = rows.last else {
            throw ValidationError.invalid(argument: "episode", reason: "\(episode.id) has no recorded action")
        }
        while rows.count % chunkFrames != 0 { rows.append(last) }
        return try stride(from: 0, to: rows.count, by: chunkFrames).map { start in
            try ActionChunk(steps: chunkFrames, maxEffectors: reference.maxEffectors,
                            values: rows[start..<(start + chunkFrames)].flatMap { $0 }, validity: reference.validity)
        }
    }
}
