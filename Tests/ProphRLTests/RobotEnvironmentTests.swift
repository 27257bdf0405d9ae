import ProphRL
import ProphRLCore
import ProphRLTesting
import Testing

@Suite("Real-robot environment over a RobotLink (loopback)")
struct RobotEnvironmentTests {
    func environment(maxActions: Int = 200, maxActionTranslation: Double = 0.01) throws -> RobotEnvironment<LoopbackRobotLink, ScriptedCamera> {
        var configuration = RobotEnvironment<LoopbackRobotLink, ScriptedCamera>.Configuration(tasks: ["place-bowl": "place the bowl"])
        configuration.realTime = false
        configuration.servoRate = 50
        configuration.maxActions = maxActions
        configuration.maxActionTranslation = maxActionTranslation
        return RobotEnvironment(link: try LoopbackRobotLink(), camera: try ScriptedCamera(frames: [try RGBImage(width: 8, height: 6)]),
                                configuration: configuration)
    }

    func chunk(dx: Double, steps: Int = 3) throws -> ActionChunk {
        let a = try EndEffectorAction(x: dx, y: 0, z: 0, roll: 0, pitch: 0, yaw: 0, gripper: 0.2)
        return try ActionChunk(actions: Array(repeating: [a], count: steps), maxEffectors: 1)
    }

    @Test("Meets the Environment contract")
    func contract() async throws {
        try await PortContracts.checkEnvironment(try environment(), task: "place-bowl", chunk: try chunk(dx: 0.005))
    }

    @Test("Targets integrate from the initial state and the arm reaches them")
    func integratesAndReaches() async throws {
        let env = try environment()
        let start = try await env.reset(task: "place-bowl", seed: 0)
        let step = try await env.step(try chunk(dx: 0.01))
        let expectedX = start.state.effectors[0].pose.position.x + 0.03
        #expect(abs(step.observation.state.effectors[0].pose.position.x - expectedX) < 1e-6)
        let record = await env.trajectory()
        #expect(record.count == 3)
        for action in record {
            #expect(zip(action.commanded, action.measured).allSatisfy { abs($0 - $1) < 1e-6 })
            #expect(abs(action.gripper - 0.2) < 1e-6)
        }
    }

    @Test("The time limit ends the episode with done at the last action")
    func timeLimit() async throws {
        let env = try environment(maxActions: 4)
        _ = try await env.reset(task: "place-bowl", seed: 0)
        #expect(try await env.step(try chunk(dx: 0.001)).done == [false, false, false])
        #expect(try await env.step(try chunk(dx: 0.001)).done == [true])
        await #expect(throws: ValidationError.self) { try await env.step(try chunk(dx: 0.001)) }
    }

    @Test("Actions longer than the per-action limit are scaled down and counted")
    func perActionLimit() async throws {
        let env = try environment()
        let start = try await env.reset(task: "place-bowl", seed: 0)
        let step = try await env.step(try chunk(dx: 0.05, steps: 2))
        #expect(await env.clippedActions() == 2)
        #expect(abs(step.observation.state.effectors[0].pose.position.x - start.state.effectors[0].pose.position.x - 0.02) < 1e-6)
    }

    @Test("An action beyond the safety envelope stops the episode with a typed violation")
    func envelope() async throws {
        let env = try environment(maxActionTranslation: 10)
        _ = try await env.reset(task: "place-bowl", seed: 0)
        await #expect(throws: SafetyViolation.self) { try await env.step(try chunk(dx: 0.8, steps: 1)) }
        await #expect(throws: ValidationError.self) { try await env.step(try chunk(dx: 0.001)) }
    }
}
