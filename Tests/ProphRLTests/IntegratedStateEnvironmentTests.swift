import ProphRL
import ProphRLCore
import ProphRLTesting
import Testing

/// A "robot" whose measured pose lags: it reports half of the commanded displacement, and success after 3 chunks.
private actor LaggingArm: Environment {
    nonisolated let description = EnvironmentDescription(name: "lagging", tasks: ["reach"], actionSemantics: .localDelta,
                                                         controlRate: 10, frameFormat: FrameFormat(width: 8, height: 8, framesPerSecond: 10))
    var commanded = try! RobotState(effectors: [EndEffectorState(pose: .identity, gripper: 1)])
    var chunks = 0

    func measured() throws -> Observation {
        let p = commanded.effectors[0].pose.position
        let lagging = try Pose(position: Vector3(p.x / 2, p.y / 2, p.z / 2), rotation: .identity)
        return Observation(image: try RGBImage(width: 8, height: 8), instruction: "reach",
                           state: try RobotState(effectors: [EndEffectorState(pose: lagging, gripper: 0.5)]))
    }

    func reset(task: String, seed: UInt64) async throws -> Observation {
        commanded = try RobotState(effectors: [EndEffectorState(pose: .identity, gripper: 1)])
        chunks = 0
        return try measured()
    }

    func step(_ chunk: ActionChunk) async throws -> EnvironmentStep {
        commanded = try ActionIntegrator(semantics: .localDelta).integrate(chunk, from: commanded).last ?? commanded
        chunks += 1
        let observation = try measured()
        return EnvironmentStep(observation: observation, frames: Array(repeating: observation.image, count: chunk.steps),
                               done: (0..<chunk.steps).map { chunks >= 3 && $0 == chunk.steps - 1 }, success: chunks >= 3)
    }

    func close() async throws {}
}

@Suite("Integrated-state environment (the policy sees its own integrated actions, as inside Prophet)")
struct IntegratedStateEnvironmentTests {
    static func chunk(_ dx: Float) throws -> ActionChunk {
        try ActionChunk(steps: 2, maxEffectors: 1, values: [dx, 0, 0, 0, 0, 0, 0, dx, 0, 0, 0, 0, 0, 0], validity: [true])
    }

    @Test("observations carry the state integrated from the start's measured state; frames, done and success pass through")
    func integrates() async throws {
        let environment = IntegratedStateEnvironment(base: LaggingArm())
        let start = try await environment.reset(task: "reach", seed: 1)
        var expected = try #require(start.state)
        let integrator = ActionIntegrator(semantics: .localDelta)
        for k in 0..<3 {
            let chunk = try Self.chunk(0.01 * Float(k + 1))
            let step = try await environment.step(chunk)
            expected = try #require(try integrator.integrate(chunk, from: expected).last)
            #expect(step.observation.state == expected)
            #expect(step.frames.count == 2 && step.success == (k == 2) && step.isDone == (k == 2))
        }
        // The base measured half the displacement: the wrapper did replace it.
        #expect(abs(expected.effectors[0].pose.position.x - 0.12) < 1e-6)
        #expect(expected.effectors[0].gripper == 0)
    }

    @Test("a step before reset is a typed error")
    func stepBeforeReset() async throws {
        let environment = IntegratedStateEnvironment(base: LaggingArm())
        await #expect(throws: ValidationError.self) { _ = try await environment.step(try Self.chunk(0.01)) }
    }
}
