import ProphRLCore

/// A fake ``Environment``: one end effector moving in the plane by local-delta actions toward a seeded goal;
/// success when it comes within `successRadius`, time limit after `maxActions`. Frames show the effector as
/// a white dot and the goal as a green one on a 32×32 canvas.
public actor PointMassEnvironment: Environment {
    /// The static description.
    public nonisolated let description: EnvironmentDescription
    /// Distance to the goal that counts as success, in metres.
    public let successRadius: Double
    /// Actions before the time limit.
    public let maxActions: Int

    private var state: RobotState
    private var goal = Vector3(0, 0, 0)
    private var executed = 0
    private var instruction = ""
    private var finished = true

    /// Creates the environment.
    public init(successRadius: Double = 0.02, maxActions: Int = 40) throws {
        description = EnvironmentDescription(name: "point-mass", tasks: ["reach"], actionSemantics: .localDelta,
                                             controlRate: 10, frameFormat: FrameFormat(width: 32, height: 32, framesPerSecond: 10))
        self.successRadius = successRadius
        self.maxActions = maxActions
        state = try RobotState(effectors: [EndEffectorState(pose: .identity, gripper: 1)])
    }

    /// Puts the effector at the origin and draws a goal in [-0.1, 0.1]² from `seed`.
    public func reset(task: String, seed: UInt64) async throws -> Observation {
        guard description.tasks.contains(task) else {
            throw ValidationError.invalid(argument: "task", reason: "unknown task '\(task)'; known: \(description.tasks)")
        }
        var rng = SeededGenerator(seed: seed)
        goal = Vector3(0.2 * rng.nextUniform() - 0.1, 0.2 * rng.nextUniform() - 0.1, 0)
        state = try RobotState(effectors: [EndEffectorState(pose: .identity, gripper: 1)])
        executed = 0
        finished = false
        instruction = "reach the goal"
        return try observation()
    }

    /// Executes actions until success, the time limit, or the end of the chunk.
    public func step(_ chunk: ActionChunk) async throws -> EnvironmentStep {
        guard !finished else { throw ValidationError.invalid(argument: "step", reason: "episode is over; call reset") }
        let targets = try ActionIntegrator(semantics: .localDelta).integrate(chunk, from: state)
        var frames: [RGBImage] = [], done: [Bool] = [], success = false
        for target in targets {
            state = target
            executed += 1
            success = distance() <= successRadius
            frames.append(try render())
            let isDone = success || executed >= maxActions
            done.append(isDone)
            if isDone { finished = true; break }
        }
        return EnvironmentStep(observation: try observation(), frames: frames, done: done, success: success)
    }

    /// Nothing to release.
    public func close() async throws { finished = true }

    /// The current distance from the effector to the goal.
    public func distance() -> Double {
        let p = state.effectors[0].pose.position
        let dx = p.x - goal.x, dy = p.y - goal.y
        return (dx * dx + dy * dy).squareRoot()
    }

    /// The current goal.
    public func currentGoal() -> Vector3 { goal }

    private func observation() throws -> Observation {
        Observation(image: try render(), instruction: instruction, state: state)
    }

    private func render() throws -> RGBImage {
        var image = try RGBImage(width: 32, height: 32)
        func pixel(_ v: Double) -> Int { min(max(Int((v + 0.16) * 100), 0), 31) }
        image[pixel(goal.x), pixel(goal.y)] = (0, 255, 0)
        let p = state.effectors[0].pose.position
        image[pixel(p.x), pixel(p.y)] = (255, 255, 255)
        return image
    }
}
