import ProphRLCore

/// Records scripted-expert episodes and replays recorded ones in the simulator.
public enum ExpertDemonstration {
    /// Runs the expert on `task`/`seed` and records frames, states and one single-step chunk per action.
    /// Larger `waypointNoise`/`stepNoise` (m) give a noisy expert that sometimes fails (labelled judge data).
    /// - Throws: ``SimulatorError`` or a renderer error.
    public static func record(task: SimTask, seed: UInt64, renderer: any SceneRenderer, camera: SceneCamera,
                              controlRate: Double = 10, waypointNoise: Double = 0.003, stepNoise: Double = 0.0005) throws -> Episode {
        let run = try SimulationRun(task: task, seed: seed, controlRate: controlRate)
        var expert = ScriptedExpert(run: run, seed: seed, waypointNoise: waypointNoise, stepNoise: stepNoise)
        var frames = [try renderer.render(run.renderScene(), camera: camera).image]
        var states: [RobotState] = []
        var chunks: [ActionChunk] = []
        while !run.isDone {
            states.append(try run.robotState())
            let chunk = try ActionChunk(actions: [[EndEffectorAction(values: expert.nextAction(for: run))]], maxEffectors: 1)
            // Apply exactly what is recorded (the chunk stores Float32 values).
            try run.apply(try chunk.flat(effector: 0).map(Double.init))
            chunks.append(chunk)
            frames.append(try renderer.render(run.renderScene(), camera: camera).image)
        }
        return try Episode(id: "\(task.rawValue)-\(seed)", task: task.rawValue, instruction: task.instruction, seed: seed,
                           video: VideoClip(frames: frames, framesPerSecond: controlRate), states: states, chunks: chunks,
                           success: run.succeeded)
    }

    /// What a replay found.
    public struct ReplayReport: Sendable, Equatable {
        /// Largest TCP position difference to the recorded states (m).
        public var maxPositionError: Double
        /// Largest rotation-matrix entry difference to the recorded states.
        public var maxRotationError: Double
        /// Largest joint-position difference (rad).
        public var maxJointError: Double
        /// Whether the replay succeeded.
        public var success: Bool
        /// Actions executed.
        public var steps: Int
    }

    /// Re-executes the recorded chunks from the episode's task and seed, at the recording's control rate (its
    /// frame rate), and compares the states before each chunk with the recording.
    /// - Throws: ``SimulatorError/unknownTask(name:known:)`` if the episode's task is not a simulator task.
    public static func replay(_ episode: Episode) throws -> ReplayReport {
        let run = try SimulationRun(task: SimTask(name: episode.task), seed: episode.seed,
                                    controlRate: episode.video.framesPerSecond)
        var report = ReplayReport(maxPositionError: 0, maxRotationError: 0, maxJointError: 0, success: false, steps: 0)
        for (state, chunk) in zip(episode.states, episode.chunks) {
            let now = try run.robotState()
            let a = now.effectors[0].pose, b = state.effectors[0].pose
            report.maxPositionError = max(report.maxPositionError, (a.position - b.position).norm)
            // A stored rotation is re-projected onto SO(3) when loaded (HDF5); compare the replayed one both as is
            // and after the same projection, so an exact replay reads 0 either way.
            let projected = try Rotation(rowMajor: a.rotation.rowMajor)
            let rotationError = min(a.rotation.maxAbsDifference(b.rotation), projected.maxAbsDifference(b.rotation))
            report.maxRotationError = max(report.maxRotationError, rotationError)
            if let q = now.jointPositions, let r = state.jointPositions {
                report.maxJointError = max(report.maxJointError, zip(q, r).map { abs($0 - $1) }.max() ?? 0)
            }
            for t in 0..<chunk.steps {
                guard let action = try chunk.action(step: t, effector: 0) else { continue }
                try run.apply(action.values)
                report.steps += 1
            }
        }
        report.success = run.succeeded
        return report
    }
}
