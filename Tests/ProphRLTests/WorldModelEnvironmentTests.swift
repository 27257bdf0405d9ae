import ProphRL
import ProphRLCore
import ProphRLTesting
import Testing

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
}
