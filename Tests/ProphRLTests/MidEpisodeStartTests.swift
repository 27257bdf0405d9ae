import ProphRL
import ProphRLCore
import ProphRLTesting
import Testing

/// A world model that remembers the context it was given, and answers with constant frames.
actor ContextRecordingModel: WorldModel {
    nonisolated let frameFormat = FrameFormat(width: 4, height: 4, framesPerSecond: 10)
    var contexts: [[RGBImage]] = []

    func predict(context: WorldModelContext, actions: ActionChunk, seed: UInt64) async throws -> VideoClip {
        contexts.append(context.frames)
        return try VideoClip(frames: (0..<actions.steps).map { _ in try RGBImage(width: 4, height: 4) }, framesPerSecond: 10)
    }
}

/// A shadow simulator that counts the chunks it executes and ends its episode after `limit` of them.
actor CountingSimulator: Environment {
    nonisolated let description = EnvironmentDescription(name: "counting", tasks: ["reach"], actionSemantics: .localDelta,
                                                         controlRate: 10, frameFormat: FrameFormat(width: 4, height: 4, framesPerSecond: 10))
    let limit: Int
    var received: [ActionChunk] = []

    init(limit: Int) { self.limit = limit }

    func reset(task: String, seed: UInt64) async throws -> Observation {
        received = []
        return Observation(image: try RGBImage(width: 4, height: 4), instruction: "reach",
                           state: try RobotState(effectors: [EndEffectorState(pose: .identity, gripper: 1)]))
    }

    func step(_ chunk: ActionChunk) async throws -> EnvironmentStep {
        received.append(chunk)
        let done = received.count >= limit
        let observation = Observation(image: try RGBImage(width: 4, height: 4), instruction: "reach",
                                      state: try RobotState(effectors: [EndEffectorState(pose: .identity, gripper: 1)]))
        return EnvironmentStep(observation: observation, frames: try (0..<chunk.steps).map { _ in try RGBImage(width: 4, height: 4) },
                               done: (0..<chunk.steps).map { done && $0 == chunk.steps - 1 }, success: done)
    }

    func close() async throws {}
}

@Suite("RL from starts part-way into recorded episodes")
struct MidEpisodeStartTests {
    /// An episode of three 2-action chunks: 7 frames whose pixels equal their index, a distinct state per chunk.
    static func episode() throws -> Episode {
        let frames = try (0..<7).map { i in try RGBImage(width: 4, height: 4, pixels: [UInt8](repeating: UInt8(i), count: 48)) }
        let states = try (0..<3).map { i in
            try RobotState(effectors: [EndEffectorState(pose: Pose(xyzRPY: [0.1 * Double(i), 0, 0, 0, 0, 0]), gripper: 1)])
        }
        let chunks = try (0..<3).map { i -> ActionChunk in
            let a = try EndEffectorAction(x: 0.01 * Double(i + 1), y: 0, z: 0, roll: 0, pitch: 0, yaw: 0, gripper: 1)
            return try ActionChunk(actions: [[a], [a]], maxEffectors: 1)
        }
        return try Episode(id: "e", task: "reach", instruction: "reach it", seed: 77,
                           video: VideoClip(frames: frames, framesPerSecond: 10), states: states, chunks: chunks, success: true)
    }

    static func starts(_ offsets: [Int]) throws -> [WorldModelEnvironment<ContextRecordingModel>.Start] {
        try WorldModelRLSetup.starts(from: [try episode()], chunkOffsets: offsets)
    }

    @Test("A start at chunk c is the frame and state before chunk c, with the recorded frames, states and chunks before it")
    func startsAtOffsets() throws {
        let episode = try Self.episode()
        let starts = try Self.starts([0, 2, 3, 9])
        #expect(starts.count == 2, "offsets at or past the last chunk are skipped (0 and 2 of 3 chunks remain)")
        #expect(starts[0].prefix == .init() && starts[0].observation.image == episode.video.frames[0])
        let mid = starts[1]
        #expect(mid.observation.image == episode.video.frames[4], "two 2-action chunks come before it: frame 4")
        #expect(mid.observation.state == episode.states[2] && mid.observation.instruction == "reach it")
        #expect(mid.prefix.frames == Array(episode.video.frames.prefix(4)))
        #expect(mid.prefix.states == Array(episode.states.prefix(2)) && mid.prefix.chunks == Array(episode.chunks.prefix(2)))
        #expect(mid.simulatorSeed == 77)
    }

    @Test("Negative offsets and offsets no episode reaches are typed errors naming what was wrong")
    func badOffsets() throws {
        #expect(throws: ValidationError.invalid(argument: "start chunks", reason: "expected offsets ≥ 0, got [-1]")) {
            _ = try Self.starts([-1])
        }
        #expect(throws: ValidationError.invalid(argument: "starts", reason: "no episode has a chunk at offsets [5, 7]")) {
            _ = try Self.starts([5, 7])
        }
    }

    @Test("The recorded frames open the world model's history and are reported before the reset observation")
    func historyAndPrefixFrames() async throws {
        let model = ContextRecordingModel()
        let start = try #require(try Self.starts([2]).first)
        let env = try WorldModelEnvironment(model: model, starts: [start], semantics: .localDelta, maxChunks: 2)
        let observation = try await env.reset(task: "reach", seed: 5)
        #expect(observation.image == start.observation.image)
        #expect(await env.framesBeforeReset() == start.prefix.frames)
        _ = try await env.step(try Self.episode().chunks[2])
        let context = try #require(await model.contexts.first)
        #expect(context == start.prefix.frames + [start.observation.image], "the model's memory sees the real past")
        #expect(await ScaledActionEnvironment(base: env, scaling: try ActionScaling(scale: [1, 1, 1, 1, 1, 1, 1], offset: [0, 0, 0, 0, 0, 0, 0])).framesBeforeReset()
                == start.prefix.frames, "wrappers forward the recorded frames")
    }

    @Test("The judge scores the whole episode: the recorded frames, then the reset frame and the imagined chunks")
    func judgeSeesWholeEpisode() async throws {
        let start = try #require(try Self.starts([2]).first)
        let env = try WorldModelEnvironment(model: ContextRecordingModel(), starts: [start], semantics: .localDelta, maxChunks: 1)
        let judged = ScriptedRewardModel { clip, _ in
            RewardVerdict(reward: Double(clip.frames.count), success: false, rationale: "\(clip.frames.first?.pixels.first ?? 255)")
        }
        let policy = try TrainableLinearPolicy(theta: [Double](repeating: 0, count: 14), layout: ChunkLayout(steps: 2, maxEffectors: 1),
                                               grid: try .uniform(steps: 4), learningRate: 0.01)
        let rollout = try await RolloutCollector(policy: policy, environment: env, reward: .model(judged, framesPerSecond: 10))
            .rollout(task: "reach", resetSeed: 1, noiseSeed: 2, outerSteps: 1, eta: 0.5)
        #expect(rollout.reward == Double(4 + 1 + 2), "4 recorded frames, the start frame, one imagined 2-action chunk")
        #expect(rollout.frames.prefix(4).elementsEqual(start.prefix.frames))
        #expect(rollout.records.count == 1, "the policy acted once: the recorded part is not the policy's")
    }

    @Test("The physics shadow replays the recorded chunks first; the audited episode is the whole episode")
    func shadowReplaysThePrefix() async throws {
        let start = try #require(try Self.starts([2]).first)
        let simulator = CountingSimulator(limit: 10)
        let world = try WorldModelEnvironment(model: ContextRecordingModel(), starts: [start], semantics: .localDelta, maxChunks: 1)
        let audited = PhysicsShadowEnvironment(world: world, shadow: simulator)
        _ = try await audited.reset(task: "reach", seed: 3)
        let own = try Self.episode().chunks[2]
        _ = try await audited.step(own)
        #expect(await simulator.received == start.prefix.chunks + [own], "recorded chunks first, then the policy's")
        let episode = try #require(await audited.drainEpisodes().first)
        #expect(episode.imagined.chunks == start.prefix.chunks + [own])
        #expect(episode.imagined.states.count == 3 && episode.imagined.video.frames.count == 4 + 1 + 2)
        #expect(episode.physicsFrames.count == 1 + 3 * 2)
    }

    @Test("Physics ending inside the recorded part is a typed error naming the starts")
    func physicsEndsInsideThePrefix() async throws {
        let start = try #require(try Self.starts([2]).first)
        let world = try WorldModelEnvironment(model: ContextRecordingModel(), starts: [start], semantics: .localDelta, maxChunks: 1)
        let audited = PhysicsShadowEnvironment(world: world, shadow: CountingSimulator(limit: 1))
        await #expect(throws: ValidationError.self) { _ = try await audited.reset(task: "reach", seed: 3) }
    }
}
