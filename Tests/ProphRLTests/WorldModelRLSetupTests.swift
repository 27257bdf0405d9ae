import ProphRL
import ProphRLCore
import ProphRLTesting
import Testing

@Suite("RL inside a world model: setup checks and starts")
struct WorldModelRLSetupTests {
    let matching = WorldModelRLSetup(modelFormat: FrameFormat(width: 64, height: 64, framesPerSecond: 10), modelChunkFrames: 4,
                                     policyChunkSteps: 4, policyResolution: 64)

    @Test("A matching world model and judge reward pass")
    func matchingPasses() throws {
        try matching.validate(startsFramesPerSecond: 10, reward: "judge:j.sqlite")
    }

    @Test("Chunk, frame size, frame rate and an oracle reward each give their typed error")
    func mismatchesAreTyped() throws {
        var chunk = matching
        chunk.modelChunkFrames = 20
        #expect(throws: WorldModelRLError.chunkMismatch(worldModelFrames: 20, policyActions: 4)) {
            try chunk.validate(startsFramesPerSecond: 10, reward: "judge")
        }
        var size = matching
        size.policyResolution = 32
        #expect(throws: WorldModelRLError.frameSizeMismatch(worldModel: "64x64", policy: "32x32")) {
            try size.validate(startsFramesPerSecond: 10, reward: "judge")
        }
        #expect(throws: WorldModelRLError.frameRateMismatch(worldModel: 10, starts: 30)) {
            try matching.validate(startsFramesPerSecond: 30, reward: "judge")
        }
        #expect(throws: WorldModelRLError.oracleReward) { try matching.validate(startsFramesPerSecond: 10, reward: "oracle") }
        #expect(WorldModelRLError.chunkMismatch(worldModelFrames: 20, policyActions: 4).description.contains("--chunk-frames 4"))
    }

    @Test("Starts are each episode's first frame, instruction and first state")
    func startsFromEpisodes() throws {
        let frames = try (0..<3).map { i in try RGBImage(width: 4, height: 4, pixels: [UInt8](repeating: UInt8(i), count: 48)) }
        let states = try (0..<2).map { i in
            try RobotState(effectors: [EndEffectorState(pose: Pose(xyzRPY: [0.1 * Double(i), 0, 0, 0, 0, 0]), gripper: 1)])
        }
        let a = try EndEffectorAction(x: 0, y: 0, z: 0, roll: 0, pitch: 0, yaw: 0, gripper: 1)
        let chunk = try ActionChunk(actions: [[a]], maxEffectors: 1)
        let episode = try Episode(id: "e", task: "reach", instruction: "reach it", seed: 1,
                                  video: VideoClip(frames: frames, framesPerSecond: 10), states: states, chunks: [chunk, chunk],
                                  success: true)
        let starts: [WorldModelEnvironment<TranslatingWorldModel>.Start] = try WorldModelRLSetup.starts(from: [episode])
        #expect(starts.count == 1)
        #expect(starts[0].task == "reach" && starts[0].observation.instruction == "reach it")
        #expect(starts[0].observation.image == frames[0] && starts[0].observation.state == states[0])
        #expect(starts[0].simulatorSeed == 1, "the recorded seed travels with the start")
        #expect(throws: ValidationError.self) {
            let _: [WorldModelEnvironment<TranslatingWorldModel>.Start] = try WorldModelRLSetup.starts(from: [])
        }
    }

    @Test("Open-loop replay: actions regrouped into model chunks, the last padded, the video cut to the recorded length")
    func replayRegroupsAndPads() async throws {
        let format = FrameFormat(width: 16, height: 12, framesPerSecond: 10)
        let model = TranslatingWorldModel(frameFormat: format)
        var image = try RGBImage(width: 16, height: 12)
        var rng = SeededGenerator(seed: 4)
        for y in 0..<12 { for x in 0..<16 { let v = UInt8(rng.next() & 0xFF); image[x, y] = (v, v, 255 - v) } }
        let actions = try (0..<7).map { i in try EndEffectorAction(x: 0.01 * Double(i + 1), y: 0, z: 0, roll: 0, pitch: 0, yaw: 0, gripper: 1) }
        // Recorded as chunks of 3 and 4 actions; 7 actions + the first frame = 8 frames.
        let recorded = [try ActionChunk(actions: actions[0..<3].map { [$0] }, maxEffectors: 1),
                        try ActionChunk(actions: actions[3..<7].map { [$0] }, maxEffectors: 1)]
        let state = try RobotState(effectors: [EndEffectorState(pose: .identity, gripper: 1)])
        let frames = Array(repeating: image, count: 8)
        let episode = try Episode(id: "e", task: "reach", instruction: "reach", seed: 3, video: VideoClip(frames: frames, framesPerSecond: 10),
                                  states: [state, state], chunks: recorded, success: false)
        let replay = try WorldModelReplay(chunkFrames: 3)
        let chunks = try replay.actionChunks(of: episode)
        #expect(chunks.count == 3 && chunks.allSatisfy { $0.steps == 3 })
        // Padding repeats the final recorded action.
        #expect(Array(chunks[2].values[7..<14]) == Array(chunks[2].values[0..<7]))
        let generated = try await replay.replay(model, episode: episode, seed: 9)
        #expect(generated.video.frames.count == 8 && generated.video.frames[0] == image)
        #expect(generated.success == false && generated.id == "e-generated")
        // Reference: the same three calls made by hand, history growing, cut to 7 generated frames.
        var context = WorldModelContext(frames: [image]), reference: [RGBImage] = []
        for (k, chunk) in chunks.enumerated() {
            let clip = try await model.predict(context: context, actions: chunk, seed: 9 &+ UInt64(k))
            reference += clip.frames
            context.frames += clip.frames
        }
        #expect(Array(generated.video.frames.dropFirst()) == Array(reference.prefix(7)))
        let empty = try Episode(id: "x", task: "reach", instruction: "reach", seed: 0, video: VideoClip(frames: [image], framesPerSecond: 10),
                                states: [], chunks: [], success: false)
        await #expect(throws: ValidationError.self) { _ = try await replay.replay(model, episode: empty, seed: 0) }
    }
}
