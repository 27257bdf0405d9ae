import ProphRLCore
import ProphRLTesting
import Testing

/// Every in-memory fake meets its port's contract, and a broken implementation is caught.
@Suite("In-memory fakes meet the port contracts")
struct FakeContractTests {
    func chunk(dx: Double, dy: Double, steps: Int = 4) throws -> ActionChunk {
        let action = try EndEffectorAction(x: dx, y: dy, z: 0, roll: 0, pitch: 0, yaw: 0, gripper: 1)
        return try ActionChunk(actions: Array(repeating: [action], count: steps), maxEffectors: 2)
    }

    func checkerboard() throws -> RGBImage {
        var image = try RGBImage(width: 16, height: 12)
        var rng = SeededGenerator(seed: 1)
        for y in 0..<12 { for x in 0..<16 { let v = UInt8(rng.next() & 0xFF); image[x, y] = (v, 255 - v, v / 2) } }
        return image
    }

    func observation() throws -> Observation {
        Observation(image: try checkerboard(), instruction: "reach",
                    state: try RobotState(effectors: [EndEffectorState(pose: .identity, gripper: 1)]))
    }

    @Test("PointMassEnvironment")
    func environment() async throws {
        try await PortContracts.checkEnvironment(try PointMassEnvironment(), task: "reach", chunk: try chunk(dx: 0.01, dy: 0))
    }

    @Test("PointMassEnvironment terminates at success and masks the rest of the chunk")
    func environmentSuccess() async throws {
        let env = try PointMassEnvironment(successRadius: 0.03, maxActions: 100)
        _ = try await env.reset(task: "reach", seed: 4)
        let goal = await env.currentGoal()
        // Ten equal steps that end exactly on the goal: success strictly before the last one.
        let step = try await env.step(try chunk(dx: goal.x / 10, dy: goal.y / 10, steps: 10))
        #expect(step.success)
        #expect(step.done.last == true && step.done.count < 10)
        let mask = try TerminationMask(positionDone: [step.done], outerSteps: 1, chunk: 10)
        #expect(mask.episodeLengths == [step.done.count])
    }

    @Test("TranslatingWorldModel")
    func worldModel() async throws {
        let model = TranslatingWorldModel(frameFormat: FrameFormat(width: 16, height: 12, framesPerSecond: 10))
        try await PortContracts.checkWorldModel(model, context: WorldModelContext(frames: [try checkerboard()]),
                                                actions: try chunk(dx: 0.01, dy: -0.02))
    }

    @Test("LinearFlowPolicy, and a policy with corrupted log-probs is caught")
    func policy() async throws {
        let target = try chunk(dx: 0.01, dy: 0.02)
        let policy = LinearFlowPolicy(target: target, grid: try .uniform(steps: 4))
        try await PortContracts.checkPolicy(policy, observation: try observation())
        // The deterministic chain lands on the target (the velocity field is exact).
        let ode = try await policy.act(on: try observation(), sampling: .deterministic)
        for (a, b) in zip(ode.chunk.flat, target.flat) { #expect(abs(a - b) < 1e-5) }

        struct CorruptPolicy: ActionPolicy {
            let inner: LinearFlowPolicy
            var chunkLayout: ChunkLayout { inner.chunkLayout }
            func act(on observation: Observation, sampling: PolicySampling) async throws -> PolicySample {
                var sample = try await inner.act(on: observation, sampling: sampling)
                guard let t = sample.trace else { return sample }
                sample.trace = try DenoisingTrace(grid: t.grid, eta: t.eta, states: t.states, means: t.means, stds: t.stds,
                                                  logProbs: t.logProbs.map { $0.map { $0 + 0.01 } })
                return sample
            }
        }
        await #expect(throws: ContractViolation.self) {
            try await PortContracts.checkPolicy(CorruptPolicy(inner: policy), observation: try observation())
        }
    }

    @Test("GlobalShiftFlowEstimator")
    func flowEstimator() throws {
        try PortContracts.checkFlowEstimator(GlobalShiftFlowEstimator(), image: try checkerboard(), dx: 2, dy: -1, tolerance: 1e-6)
    }

    @Test("The world model's motion is what the flow estimator measures")
    func worldModelMotionMatchesFlow() async throws {
        let model = TranslatingWorldModel(frameFormat: FrameFormat(width: 16, height: 12, framesPerSecond: 10), pixelsPerMeter: 100)
        let clip = try await model.predict(context: WorldModelContext(frames: [try checkerboard()]),
                                           actions: try chunk(dx: 0.02, dy: 0.01), seed: 0)
        let field = try GlobalShiftFlowEstimator().flow(from: clip.frames[0], to: clip.frames[1])
        #expect(field[0, 0].dx == 2 && field[0, 0].dy == 1)
    }

    @Test("InMemoryEpisodeStore")
    func episodeStore() async throws {
        let clip = try VideoClip(frames: [try checkerboard()], framesPerSecond: 10)
        let episode = try Episode(id: "ep-1", task: "reach", instruction: "reach", seed: 3, video: clip,
                                  states: [try observation().state], chunks: [try chunk(dx: 0, dy: 0)], success: true)
        try await PortContracts.checkEpisodeStore(InMemoryEpisodeStore(), sample: episode)
    }

    @Test("InMemoryVideoStore")
    func videoStore() async throws {
        let store = InMemoryVideoStore()
        let clip = try VideoClip(frames: [try checkerboard(), try checkerboard()], framesPerSecond: 10)
        try await PortContracts.checkVideoRoundTrip(writer: store, reader: store, clip: clip, path: "a.mp4",
                                                    missingPath: "missing.mp4", tolerance: 0)
    }

    @Test("ScriptedRewardModel")
    func rewardModel() async throws {
        let model = ScriptedRewardModel { clip, _ in
            let bright = clip.last.pixels.reduce(0) { $0 + Int($1) } > clip.last.pixels.count * 100
            return RewardVerdict(reward: bright ? 1 : 0, success: bright)
        }
        try await PortContracts.checkRewardModel(model, rollout: try VideoClip(frames: [try checkerboard()], framesPerSecond: 5),
                                                 instruction: "x")
    }
}

@Suite("Trainable fake policy")
struct TrainableFakeTests {
    @Test("TrainableLinearPolicy meets the TrainablePolicy contract")
    func contract() async throws {
        let policy = try TrainableLinearPolicy(theta: (0..<14).map { Double($0) / 20 }, layout: ChunkLayout(steps: 2, maxEffectors: 1),
                                               grid: try .uniform(steps: 4), learningRate: 0.1)
        let observation = Observation(image: try RGBImage(width: 4, height: 4), instruction: "x",
                                      state: try RobotState(effectors: [EndEffectorState(pose: .identity, gripper: 1)]))
        try await PortContracts.checkTrainablePolicy(policy, observation: observation)
    }
}
