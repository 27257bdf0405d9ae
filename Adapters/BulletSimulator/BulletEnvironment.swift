import ProphRLCore

/// The Bullet reference simulator as an ``Environment``: one ``SimulationRun`` per episode (the world is rebuilt
/// on every reset), `.absoluteDifference` actions at the control rate, camera frames from an injected
/// ``SceneRenderer``.
public actor BulletEnvironment: Environment {
    /// What this environment is.
    public nonisolated let description: EnvironmentDescription
    let renderer: any SceneRenderer
    let camera: SceneCamera
    let solverIterations: Int
    var run: SimulationRun?
    var firstImage: RGBImage?

    /// Creates the environment rendering `resolution`² frames with `renderer`.
    /// - Throws: ``ValidationError`` if the resolution or control rate is not positive.
    public init(renderer: any SceneRenderer, resolution: Int = 64, controlRate: Double = 10,
                solverIterations: Int = 50) throws {
        try Validate.positive(controlRate, "controlRate")
        camera = try SimulationRun.defaultCamera(resolution: resolution)
        self.renderer = renderer
        self.solverIterations = solverIterations
        description = EnvironmentDescription(name: "bullet-ur30e", tasks: SimTask.allCases.map(\.rawValue),
                                             actionSemantics: .absoluteDifference, controlRate: controlRate,
                                             frameFormat: FrameFormat(width: resolution, height: resolution,
                                                                          framesPerSecond: controlRate))
    }

    /// Starts `task` with the layout of `seed`.
    /// - Throws: ``SimulatorError/unknownTask(name:known:)`` for an unknown task.
    public func reset(task: String, seed: UInt64) async throws -> Observation {
        let run = try SimulationRun(task: SimTask(name: task), seed: seed, controlRate: description.controlRate,
                                    solverIterations: solverIterations)
        self.run = run
        firstImage = nil
        let first = try observation(of: run)
        firstImage = first.image
        return first
    }

    /// Executes the chunk's actions (effector 0) until the chunk ends or the episode is done.
    /// - Throws: ``SimulatorError/notReset`` before a reset; ``ValidationError`` for a chunk without effector 0.
    public func step(_ chunk: ActionChunk) async throws -> EnvironmentStep {
        guard let run else { throw SimulatorError.notReset }
        var frames: [RGBImage] = []
        var done: [Bool] = []
        for t in 0..<chunk.steps {
            guard let action = try chunk.action(step: t, effector: 0) else {
                throw ValidationError.invalid(argument: "chunk", reason: "effector 0 must be valid")
            }
            try run.apply(action.values)
            frames.append(try renderer.render(run.renderScene(), camera: camera).image)
            done.append(run.isDone)
            if run.isDone { break }
        }
        return EnvironmentStep(observation: try observation(of: run), frames: frames, done: done, success: run.succeeded)
    }

    /// Ends the episode.
    public func close() async throws { run = nil }

    func observation(of run: SimulationRun) throws -> Observation {
        let image = try renderer.render(run.renderScene(), camera: camera).image
        return Observation(image: image, instruction: run.task.instruction, state: try run.robotState(),
                           firstImage: firstImage ?? image)
    }
}
