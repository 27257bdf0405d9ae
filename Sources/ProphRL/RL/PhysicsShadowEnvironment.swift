import ProphRLCore

/// RL inside a world model, audited by physics: every imagined episode's actions are also executed open-loop in a
/// simulator from the recorded start's simulator seed, so each rollout carries the physics outcome of the very
/// actions the policy took inside the model.
///
/// The policy acts only in the world model: observations, frames and done flags are the world model's. Only
/// `success` is replaced by the simulator's predicate on the replayed actions (the judge still gives the reward),
/// so the gap between judged reward and this success measures how much the policy exploits the model, and the
/// recorded episodes (imagined video, physics label) can train the next judge. Open-loop replay is the right
/// label for the imagined video: it says what the same actions do in physics from the same layout.
///
/// ```swift
/// let audited = PhysicsShadowEnvironment(world: prophetEnvironment, shadow: bullet)
/// let trainer = try GRPOTrainer(..., environment: ScaledActionEnvironment(base: audited, scaling: s), reward: judge)
/// let report = try await trainer.iterate(0)          // report.successes: physics outcomes of the imagined rollouts
/// let labelled = await audited.drainEpisodes()       // imagined videos with physics labels
/// ```
public actor PhysicsShadowEnvironment<Model: WorldModel, Shadow: Environment>: Environment {
    /// One audited episode: what the world model showed, and what physics did with the same actions.
    public struct AuditedEpisode: Sendable, Equatable {
        /// The imagined episode: world-model video, integrated states, executed chunks (as the world model received
        /// them), the start's simulator seed, and the **physics** success as its label.
        public var imagined: Episode
        /// The simulator's frames for the same actions (initial frame first); shorter if physics ended earlier.
        public var physicsFrames: [RGBImage]
    }

    /// The world model's description (the policy acts there).
    public nonisolated let description: EnvironmentDescription
    private let world: WorldModelEnvironment<Model>
    private let shadow: Shadow

    private var task = "", instruction = "", seed: UInt64 = 0
    private var frames: [RGBImage] = [], physicsFrames: [RGBImage] = []
    private var states: [RobotState] = [], chunks: [ActionChunk] = []
    private var state: RobotState?
    private var physicsDone = false, physicsSuccess = false, running = false
    private var finished: [AuditedEpisode] = []
    private var episodeCount = 0, recordedChunks = 0

    /// Wraps `world`, replaying its episodes in `shadow` (which must accept the world model's tasks and chunks).
    public init(world: WorldModelEnvironment<Model>, shadow: Shadow) {
        self.world = world
        self.shadow = shadow
        description = world.description
    }

    /// Resets the world model, then the simulator with the chosen start's recorded seed; a start part-way into a
    /// recorded episode first replays the recorded chunks before it in physics, so the policy's chunks continue
    /// from the same physical state, and the audited episode holds the whole episode (recorded part first).
    /// - Throws: ``ValidationError`` naming `starts` when the start has no simulator seed or physics ends inside its
    ///   recorded part; what the ports throw.
    public func reset(task: String, seed: UInt64) async throws -> Observation {
        try finishEpisode()
        let observation = try await world.reset(task: task, seed: seed)
        guard let start = await world.currentStart, let simulatorSeed = start.simulatorSeed else {
            throw ValidationError.invalid(argument: "starts", reason: "the start has no simulator seed to replay its actions in physics")
        }
        let real = try await shadow.reset(task: task, seed: simulatorSeed)
        (self.task, instruction, self.seed) = (task, observation.instruction, simulatorSeed)
        (frames, physicsFrames) = (start.prefix.frames + [observation.image], [real.image])
        (states, chunks, recordedChunks) = (start.prefix.states, start.prefix.chunks, start.prefix.chunks.count)
        for chunk in start.prefix.chunks {
            let replayed = try await shadow.step(chunk)
            physicsFrames += replayed.frames
            if replayed.isDone {
                throw ValidationError.invalid(argument: "starts", reason: "physics ended inside the recorded part of the start "
                                              + "(seed \(simulatorSeed), \(start.prefix.chunks.count) chunks); start earlier")
            }
        }
        state = observation.state
        (physicsDone, physicsSuccess, running) = (false, false, true)
        return observation
    }

    /// The world model's recorded frames before the reset observation.
    public func framesBeforeReset() async -> [RGBImage] { await world.framesBeforeReset() }

    /// Steps the world model, and the simulator with the same chunk until physics ends its episode.
    public func step(_ chunk: ActionChunk) async throws -> EnvironmentStep {
        let imagined = try await world.step(chunk)
        if let state { states.append(state) }
        chunks.append(chunk)
        frames += imagined.frames
        state = imagined.observation.state
        if !physicsDone {
            let real = try await shadow.step(chunk)
            physicsFrames += real.frames
            physicsSuccess = real.success
            physicsDone = real.isDone
        }
        if imagined.isDone { try finishEpisode() }
        return EnvironmentStep(observation: imagined.observation, frames: imagined.frames, done: imagined.done,
                               success: physicsSuccess)
    }

    /// Records any running episode and closes both environments.
    public func close() async throws {
        try finishEpisode()
        try await world.close()
        try await shadow.close()
    }

    /// The episodes audited since the last call (an episode counts once it is done, reset over, or closed).
    public func drainEpisodes() -> [AuditedEpisode] {
        defer { finished = [] }
        return finished
    }

    private func finishEpisode() throws {
        guard running, chunks.count > recordedChunks else { running = false; return }
        running = false
        episodeCount += 1
        let video = try VideoClip(frames: frames, framesPerSecond: description.frameFormat.framesPerSecond)
        let episode = try Episode(id: "\(task)-imagined-\(episodeCount)", task: task, instruction: instruction, seed: seed,
                                  video: video, states: states, chunks: chunks, success: physicsSuccess)
        finished.append(AuditedEpisode(imagined: episode, physicsFrames: physicsFrames))
    }
}
