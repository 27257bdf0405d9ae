import ProphRL
import ProphRLCore
import ProphRLTesting
import Testing

/// A judge that reads only the states: success once the effector has been seen past `x` before a chunk.
private struct StateThresholdJudge: RewardModel {
    let x: Double
    func score(rollout: VideoClip, instruction: String) async throws -> RewardVerdict {
        throw ValidationError.invalid(argument: "states", reason: "this judge reads states")
    }
    func score(rollout: VideoClip, instruction: String, states: [RobotState]) async throws -> RewardVerdict {
        let reached = states.contains { $0.effectors[0].pose.position.x > x }
        return RewardVerdict(reward: reached ? 1 : 0, success: reached, rationale: "\(states.count) states")
    }
}

@Suite("World model as an environment")
struct WorldModelEnvironmentTests {
    func start() throws -> WorldModelEnvironment<TranslatingWorldModel>.Start {
        var image = try RGBImage(width: 16, height: 12)
        var rng = SeededGenerator(seed: 2)
        for y in 0..<12 { for x in 0..<16 { let v = UInt8(rng.next() & 0xFF); image[x, y] = (v, v, 255 - v) } }
        return .init(task: "reach", observation: Observation(
            image: image, instruction: "reach", state: try RobotState(effectors: [EndEffectorState(pose: .identity, gripper: 1)])))
    }

    func chunk(_ dx: Double) throws -> ActionChunk {
        let a = try EndEffectorAction(x: dx, y: 0, z: 0, roll: 0, pitch: 0, yaw: 0, gripper: 0.5)
        return try ActionChunk(actions: [[a], [a], [a]], maxEffectors: 1)
    }

    @Test("Meets the Environment contract")
    func contract() async throws {
        let env = try WorldModelEnvironment(model: TranslatingWorldModel(frameFormat: FrameFormat(width: 16, height: 12, framesPerSecond: 10)),
                                            starts: [try start()], semantics: .localDelta, maxChunks: 2)
        try await PortContracts.checkEnvironment(env, task: "reach", chunk: try chunk(0.01))
    }

    @Test("Integrates the policy's own actions and stops after maxChunks with done at the last action")
    func integratesAndStops() async throws {
        let env = try WorldModelEnvironment(model: TranslatingWorldModel(frameFormat: FrameFormat(width: 16, height: 12, framesPerSecond: 10)),
                                            starts: [try start()], semantics: .localDelta, maxChunks: 2)
        _ = try await env.reset(task: "reach", seed: 1)
        let first = try await env.step(try chunk(0.01))
        #expect(first.done == [false, false, false])
        #expect(abs(first.observation.state.effectors[0].pose.position.x - 0.03) < 1e-8)   // actions are stored as Float
        let second = try await env.step(try chunk(0.01))
        #expect(second.done == [false, false, true])
        await #expect(throws: ValidationError.self) { try await env.step(try chunk(0.01)) }
    }

    @Test("A success judge ends the episode early, at the chunk end")
    func earlySuccess() async throws {
        let judge = ScriptedRewardModel { clip, _ in RewardVerdict(reward: clip.frames.count >= 4 ? 1 : 0, success: clip.frames.count >= 4) }
        let env = try WorldModelEnvironment(model: TranslatingWorldModel(frameFormat: FrameFormat(width: 16, height: 12, framesPerSecond: 10)),
                                            starts: [try start()], semantics: .localDelta, maxChunks: 5, successJudge: judge)
        _ = try await env.reset(task: "reach", seed: 1)
        let step = try await env.step(try chunk(0.02))
        #expect(step.success && step.done == [false, false, true])
    }

    @Test("A success judge that reads states gets the state before each chunk so far")
    func successJudgeReadsStates() async throws {
        // 3 actions of 0.02 per chunk: x = 0 before chunk 1, 0.06 before chunk 2.
        let env = try WorldModelEnvironment(model: TranslatingWorldModel(frameFormat: FrameFormat(width: 16, height: 12, framesPerSecond: 10)),
                                            starts: [try start()], semantics: .localDelta, maxChunks: 5,
                                            successJudge: StateThresholdJudge(x: 0.05))
        _ = try await env.reset(task: "reach", seed: 1)
        #expect(try await env.step(try chunk(0.02)).success == false)
        let second = try await env.step(try chunk(0.02))
        #expect(second.success && second.done == [false, false, true])
    }
}
