import ProphRL
import ProphRLCore
import ProphRLTesting
import Testing

/// A one-chunk bandit: success when the executed chunk lands within `radius` of a hidden target.
actor ChunkTargetEnvironment: Environment {
    nonisolated let description = EnvironmentDescription(
        name: "chunk-target", tasks: ["hit"], actionSemantics: .servo, controlRate: 10,
        frameFormat: FrameFormat(width: 4, height: 4, framesPerSecond: 10))
    let target: [Float]
    let radius: Float

    init(target: [Float], radius: Float) {
        self.target = target
        self.radius = radius
    }

    func observation() throws -> Observation {
        Observation(image: try RGBImage(width: 4, height: 4), instruction: "hit the target",
                    state: try RobotState(effectors: [EndEffectorState(pose: .identity, gripper: 1)]))
    }

    func reset(task: String, seed: UInt64) async throws -> Observation {
        guard task == "hit" else { throw ValidationError.invalid(argument: "task", reason: "unknown") }
        return try observation()
    }

    func step(_ chunk: ActionChunk) async throws -> EnvironmentStep {
        let distance = zip(chunk.flat, target).reduce(Float(0)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
        let frames = try (0..<chunk.steps).map { _ in try RGBImage(width: 4, height: 4) }
        let done = (0..<chunk.steps).map { $0 == chunk.steps - 1 }
        return EnvironmentStep(observation: try observation(), frames: frames, done: done, success: distance < radius)
    }

    func close() async throws {}
}

/// A reward model whose reward is the number of states it was handed.
struct StateCountReward: RewardModel {
    func score(rollout: VideoClip, instruction: String) async throws -> RewardVerdict { RewardVerdict(reward: -1, success: false) }
    func score(rollout: VideoClip, instruction: String, states: [RobotState]) async throws -> RewardVerdict {
        RewardVerdict(reward: Double(states.count), success: false)
    }
}

@Suite("GRPO trainer on a toy bandit with the oracle reward")
struct GRPOTrainerTests {
    static let layout = ChunkLayout(steps: 2, maxEffectors: 1)
    static let target: [Float] = (0..<14).map { $0 % 7 < 3 ? 0.4 : 0 }

    func options(_ objective: RLOptions.Objective) -> RLOptions {
        var options = RLOptions()
        options.seed = 7
        options.task = "hit"
        options.groupSize = 8
        options.groupsPerIteration = 4
        options.minibatchRollouts = 16
        options.eta = 0.5
        options.objective = objective
        options.objectiveConfiguration.klCoefficient = 0
        return options
    }

    func train(_ objective: RLOptions.Objective, iterations: Int, control: RewardControl = .none,
               anchorWeight: Double = 0, anchorLosses: inout [Double]) async throws
        -> (first: Double, last: Double, distance: Double) {
        var options = options(objective)
        options.rewardControl = control
        options.anchorWeight = anchorWeight
        options.anchorBatch = 4
        let policy = try TrainableLinearPolicy(theta: [Double](repeating: 0, count: 14), layout: Self.layout,
                                               grid: try .uniform(steps: 4), learningRate: 0.05)
        let environment = ChunkTargetEnvironment(target: Self.target, radius: 0.95)
        // Demonstrations of the target chunk, for the imitation anchor.
        let demo = DemonstrationExample(observation: try await environment.observation(),
                                        target: try ActionChunk(steps: 2, maxEffectors: 1, values: Self.target, validity: [true]))
        let trainer = try GRPOTrainer(options: options, policy: policy, reference: nil, environment: environment,
                                      reward: .environmentSuccess, anchorExamples: [demo, demo, demo])
        var rates: [Double] = []
        for i in 0..<iterations {
            let report = try await trainer.iterate(i)
            rates.append(report.successRate)
            if let loss = report.anchorLoss { anchorLosses.append(loss) }
        }
        let theta = await policy.theta
        let distance = zip(theta, Self.target).reduce(0) { $0 + ($1.0 - Double($1.1)) * ($1.0 - Double($1.1)) }.squareRoot()
        let k = 4
        return (rates.prefix(k).reduce(0, +) / Double(k), rates.suffix(k).reduce(0, +) / Double(k), distance)
    }

    func train(_ objective: RLOptions.Objective, iterations: Int, control: RewardControl = .none) async throws
        -> (first: Double, last: Double, distance: Double) {
        var unused: [Double] = []
        return try await train(objective, iterations: iterations, control: control, anchorLosses: &unused)
    }

    @Test("FA-GRPO + FlowScale raises the success rate and moves the head toward the target")
    func learns() async throws {
        let initialDistance = Double(Self.target.reduce(0) { $0 + $1 * $1 }.squareRoot())
        let result = try await train(.flowScale, iterations: 25)
        #expect(result.last > result.first + 0.25, "success \(result.first) → \(result.last)")
        #expect(result.distance < 0.75 * initialDistance, "distance \(initialDistance) → \(result.distance)")
    }

    @Test("With each group's rewards shuffled (the control arm) the same run does not learn")
    func controlDoesNotLearn() async throws {
        let initialDistance = Double(Self.target.reduce(0) { $0 + $1 * $1 }.squareRoot())
        let result = try await train(.flowScale, iterations: 25, control: .shuffledInGroups)
        #expect(result.last < result.first + 0.1, "success \(result.first) → \(result.last)")
        #expect(result.distance > 0.9 * initialDistance, "distance \(initialDistance) → \(result.distance)")
    }

    @Test("An imitation anchor on target demonstrations pulls the control arm (no reward signal) to the target")
    func anchorPullsTowardDemonstrations() async throws {
        let initialDistance = Double(Self.target.reduce(0) { $0 + $1 * $1 }.squareRoot())
        var losses: [Double] = []
        let result = try await train(.flowScale, iterations: 25, control: .shuffledInGroups, anchorWeight: 5, anchorLosses: &losses)
        #expect(result.distance < 0.5 * initialDistance, "distance \(initialDistance) → \(result.distance)")
        #expect(losses.count >= 5 && losses.last! < 0.5 * losses.first!, "anchor loss \(losses.prefix(2)) → \(losses.suffix(2))")
        // Weight 0 is no anchor: the run is the plain one, bit for bit.
        var none: [Double] = []
        let plain = try await train(.flowScale, iterations: 4, control: .shuffledInGroups)
        let zero = try await train(.flowScale, iterations: 4, control: .shuffledInGroups, anchorWeight: 0, anchorLosses: &none)
        #expect(plain == zero && none.isEmpty)
    }

    @Test("An anchor weight without demonstrations, or a negative one, is a typed error")
    func anchorNeedsExamples() throws {
        var options = options(.flowScale)
        options.anchorWeight = 1
        let policy = try TrainableLinearPolicy(theta: [Double](repeating: 0, count: 14), layout: Self.layout,
                                               grid: .uniform(steps: 4), learningRate: 0.1)
        #expect(throws: ValidationError.invalid(argument: "anchorWeight", reason: "an imitation anchor needs demonstration examples")) {
            try GRPOTrainer(options: options, policy: policy, reference: nil,
                            environment: ChunkTargetEnvironment(target: Self.target, radius: 1), reward: .environmentSuccess)
        }
        options.anchorWeight = -1
        #expect(throws: ValidationError.outOfRange(argument: "anchorWeight", expected: ">= 0", actual: -1)) { try options.validate() }
        options.anchorWeight = 1
        options.anchorBatch = 0
        #expect(throws: ValidationError.self) { try options.validate() }
    }

    @Test("A reward model is handed the state before each of the rollout's chunks")
    func rewardModelGetsStates() async throws {
        let policy = try TrainableLinearPolicy(theta: [Double](repeating: 0, count: 14), layout: Self.layout,
                                               grid: try .uniform(steps: 4), learningRate: 0.05)
        let collector = RolloutCollector(policy: policy, environment: ChunkTargetEnvironment(target: Self.target, radius: 0.95),
                                         reward: .model(StateCountReward(), framesPerSecond: 10))
        let rollout = try await collector.rollout(task: "hit", resetSeed: 1, noiseSeed: 2, outerSteps: 3, eta: 0.5)
        #expect(rollout.reward == Double(rollout.records.count) && rollout.reward >= 1)
    }

    @Test("Every objective of the ablation switch trains without error", arguments: RLOptions.Objective.allCases)
    func ablations(objective: RLOptions.Objective) async throws {
        let result = try await train(objective, iterations: 3)
        #expect(result.distance.isFinite)
    }

    @Test("The first minibatch reproduces the stored log-probs (ratio 1)")
    func onPolicy() async throws {
        let policy = try TrainableLinearPolicy(theta: [Double](repeating: 0.1, count: 14), layout: Self.layout,
                                               grid: try .uniform(steps: 4), learningRate: 0.05)
        let trainer = try GRPOTrainer(options: options(.flowScale), policy: policy, reference: policy,
                                      environment: ChunkTargetEnvironment(target: Self.target, radius: 0.95),
                                      reward: .environmentSuccess)
        let report = try await trainer.iterate(0)
        #expect(report.updates == 2)
        #expect(report.rewards.count == 32)
    }

    @Test("Invalid options are rejected with a typed error")
    func badOptions() throws {
        var bad = options(.faGRPO)
        bad.groupSize = 1
        #expect(throws: ValidationError.self) {
            try GRPOTrainer(options: bad, policy: try TrainableLinearPolicy(theta: [Double](repeating: 0, count: 14),
                                                                              layout: Self.layout, grid: .uniform(steps: 4),
                                                                              learningRate: 0.1),
                            reference: nil, environment: ChunkTargetEnvironment(target: Self.target, radius: 1),
                            reward: .environmentSuccess)
        }
    }
}
