import ProphRL
import ProphRLCore
import ProphRLTesting
import Testing

/// A shadow "simulator" that records what it is asked to do: success after `successAfter` chunks, then done.
private actor RecordingSimulator: Environment {
    nonisolated let description = EnvironmentDescription(name: "recording", tasks: ["reach"], actionSemantics: .localDelta,
                                                         controlRate: 10, frameFormat: FrameFormat(width: 16, height: 12, framesPerSecond: 10))
    let successAfter: Int
    var resetSeeds: [UInt64] = []
    var received: [ActionChunk] = []
    var steps = 0

    init(successAfter: Int) { self.successAfter = successAfter }

    func observation() throws -> Observation {
        Observation(image: try RGBImage(width: 16, height: 12), instruction: "reach",
                    state: try RobotState(effectors: [EndEffectorState(pose: .identity, gripper: 1)]))
    }

    func reset(task: String, seed: UInt64) async throws -> Observation {
        resetSeeds.append(seed)
        steps = 0
        return try observation()
    }

    func step(_ chunk: ActionChunk) async throws -> EnvironmentStep {
        received.append(chunk)
        steps += 1
        let done = steps >= successAfter
        let observation = try observation()
        return EnvironmentStep(observation: observation, frames: Array(repeating: observation.image, count: chunk.steps),
                               done: (0..<chunk.steps).map { done && $0 == chunk.steps - 1 }, success: done)
    }

    func close() async throws {}
}

@Suite("Physics shadow: imagined rollouts replayed in the simulator")
struct PhysicsShadowEnvironmentTests {
    func world(simulatorSeed: UInt64?, maxChunks: Int) throws -> WorldModelEnvironment<TranslatingWorldModel> {
        var image = try RGBImage(width: 16, height: 12)
        for y in 0..<12 { for x in 0..<16 { image[x, y] = (UInt8(16 * x), UInt8(20 * y), 7) } }
        let start = WorldModelEnvironment<TranslatingWorldModel>.Start(
            task: "reach", observation: Observation(image: image, instruction: "reach",
                                                    state: try RobotState(effectors: [EndEffectorState(pose: .identity, gripper: 1)])),
            simulatorSeed: simulatorSeed)
        return try WorldModelEnvironment(model: TranslatingWorldModel(frameFormat: FrameFormat(width: 16, height: 12, framesPerSecond: 10)),
                                         starts: [start], semantics: .localDelta, maxChunks: maxChunks)
    }

    func chunk(_ dx: Double) throws -> ActionChunk {
        let a = try EndEffectorAction(x: dx, y: 0, z: 0, roll: 0, pitch: 0, yaw: 0, gripper: 0.5)
        return try ActionChunk(actions: [[a], [a]], maxEffectors: 1)
    }

    @Test("The simulator replays the same chunks from the start's recorded seed; frames and done stay the world model's")
    func replaysFromTheRecordedSeed() async throws {
        let simulator = RecordingSimulator(successAfter: 2)
        let audited = PhysicsShadowEnvironment(world: try world(simulatorSeed: 4242, maxChunks: 3), shadow: simulator)
        let reference = try world(simulatorSeed: 4242, maxChunks: 3)
        let first = try await audited.reset(task: "reach", seed: 9)
        #expect(first == (try await reference.reset(task: "reach", seed: 9)))
        #expect(await simulator.resetSeeds == [4242], "physics starts from the recorded layout, not from the RL reset seed")

        let chunks = [try chunk(0.01), try chunk(-0.02), try chunk(0.03)]
        var successes: [Bool] = []
        for c in chunks {
            let step = try await audited.step(c)
            let expected = try await reference.step(c)
            #expect(step.frames == expected.frames && step.done == expected.done && step.observation == expected.observation)
            successes.append(step.success)
        }
        #expect(successes == [false, true, true], "success is physics' and stays once physics has ended")
        #expect(await simulator.received == Array(chunks.prefix(2)), "physics is not stepped after its episode ended")

        let episodes = await audited.drainEpisodes()
        #expect(episodes.count == 1)
        let imagined = try #require(episodes.first).imagined
        #expect(imagined.success && imagined.seed == 4242 && imagined.chunks == chunks)
        #expect(imagined.states.count == 3 && imagined.video.frames.count == 1 + 3 * 2)
        #expect(imagined.video.frames[0] == first.image)
        #expect(episodes[0].physicsFrames.count == 1 + 2 * 2)
        #expect(await audited.drainEpisodes().isEmpty, "draining empties the buffer")
    }

    @Test("A physics failure is the label even when the world model keeps going")
    func failureLabel() async throws {
        let audited = PhysicsShadowEnvironment(world: try world(simulatorSeed: 1, maxChunks: 2), shadow: RecordingSimulator(successAfter: 5))
        _ = try await audited.reset(task: "reach", seed: 3)
        _ = try await audited.step(try chunk(0.01))
        let last = try await audited.step(try chunk(0.01))
        #expect(last.isDone && !last.success)
        let episodes = await audited.drainEpisodes()
        #expect(episodes.count == 1 && episodes[0].imagined.success == false)
    }

    @Test("A start without a simulator seed is a typed error naming the starts")
    func needsASeed() async throws {
        let audited = PhysicsShadowEnvironment(world: try world(simulatorSeed: nil, maxChunks: 2), shadow: RecordingSimulator(successAfter: 1))
        await #expect(throws: ValidationError.invalid(argument: "starts", reason: "the start has no simulator seed to replay its actions in physics")) {
            _ = try await audited.reset(task: "reach", seed: 3)
        }
    }
}
