import ProphRLCore

/// The real robot as an ``Environment``, following the paper's real-robot protocol. The policy sees one
/// camera image plus the integrated state. Each chunk of 7-D actions (differences of consecutive absolute
/// TCP poses, plus the gripper) is integrated from that state, never from a re-read of the arm. The targets
/// are streamed to the arm as `servoL` commands at the servo rate, on a minimum-jerk profile between
/// consecutive targets, and what was commanded and measured is recorded. With the default envelope
/// (10 m/s²) and 10 Hz actions, one action may move at most about 17 mm.
///
/// Every command passes the link's safety envelope. A violation stops the arm, and the error reaches the
/// caller.
///
/// ```swift
/// var link = TCPRobotLink(configuration: .init(host: "192.168.1.10"))
/// let env = RobotEnvironment(link: link, camera: camera, configuration: .init(tasks: ["place-bowl": "place the bowl on the plate"]))
/// var observation = try await env.reset(task: "place-bowl", seed: 0)
/// let step = try await env.step(try await policy.act(on: observation, sampling: .deterministic).chunk)
/// ```
public actor RobotEnvironment<Link: RobotLink, Cam: Camera>: Environment {
    /// Deployment settings.
    public struct Configuration: Sendable, Equatable {
        /// Instruction per task name.
        public var tasks: [String: String]
        /// Joint positions the arm moves to at reset (rad).
        public var homeJoints: [Double] = [0, -1.5708, 1.5708, -1.5708, -1.5708, 0]
        /// Policy actions per second.
        public var controlRate: Double = 10
        /// `servoL` commands per second between action targets (the controller's 500 Hz).
        public var servoRate: Double = 500
        /// Whether to wait in real time between servo commands (false only for in-memory links).
        public var realTime = true
        /// Actions before the episode's time limit.
        public var maxActions = 200
        /// How actions are read (the paper's real-robot convention by default).
        public var semantics: ActionSemantics = .absoluteDifference
        /// Largest translation one action may command (m); longer ones are scaled down and counted. The default
        /// keeps the minimum-jerk profile under the envelope's 10 m/s² at 10 Hz.
        public var maxActionTranslation = 0.01
        /// Largest roll, pitch or yaw change one action may command (rad); larger ones are clamped and counted.
        public var maxActionRotation = 0.1

        /// Creates a configuration.
        public init(tasks: [String: String]) { self.tasks = tasks }
    }

    /// One executed action.
    public struct ExecutedAction: Sendable, Equatable {
        /// The commanded TCP pose `[x, y, z, rx, ry, rz]`.
        public var commanded: [Double]
        /// The measured TCP pose after the action.
        public var measured: [Double]
        /// The commanded gripper openness (recorded; actuated by the tool, not by the arm link).
        public var gripper: Double
    }

    /// The static description.
    public nonisolated let description: EnvironmentDescription
    /// The settings.
    public let configuration: Configuration
    private var link: Link
    private let camera: Cam
    private var state: RobotState?
    private var instruction = ""
    private var firstImage: RGBImage?
    private var executed = 0
    private var record: [ExecutedAction] = []
    private var clipped = 0

    /// Creates the environment; the link connects at the first reset.
    public init(link: Link, camera: Cam, configuration: Configuration) {
        self.link = link
        self.camera = camera
        self.configuration = configuration
        description = EnvironmentDescription(name: "ur30e", tasks: configuration.tasks.keys.sorted(),
                                             actionSemantics: configuration.semantics, controlRate: configuration.controlRate,
                                             frameFormat: camera.frameFormat)
    }

    /// Moves home and returns the first observation; `seed` is recorded by the caller (the real world is not seeded).
    public func reset(task: String, seed: UInt64) async throws -> Observation {
        guard let text = configuration.tasks[task] else {
            throw ValidationError.invalid(argument: "task", reason: "unknown task '\(task)'; known: \(description.tasks)")
        }
        if !link.isConnected { try link.connect() }
        try link.send(.moveJ(joints: configuration.homeJoints, speed: 0.5, acceleration: 0.8))
        let measured = try link.latestState()
        let start = try RobotState(effectors: [EndEffectorState(pose: Pose(urPose: measured.actualTCPPose), gripper: 1)],
                                   jointPositions: measured.actualQ)
        state = start
        instruction = text
        executed = 0
        record = []
        clipped = 0
        let image = try await camera.capture()
        firstImage = image
        return Observation(image: image, instruction: text, state: start, firstImage: image)
    }

    /// Integrates the chunk from the integrated state and streams it, action by action.
    public func step(_ chunk: ActionChunk) async throws -> EnvironmentStep {
        guard let current = state else { throw ValidationError.invalid(argument: "step", reason: "no episode running; call reset") }
        let (limited, clippedNow) = try Self.limit(chunk, translation: configuration.maxActionTranslation,
                                                   rotation: configuration.maxActionRotation)
        clipped += clippedNow
        let targets = try ActionIntegrator(semantics: configuration.semantics).integrate(limited, from: current)
        let substeps = max(Int((configuration.servoRate / configuration.controlRate).rounded()), 1)
        let period = Duration.seconds(1 / configuration.servoRate)
        var frames: [RGBImage] = [], done: [Bool] = []
        var previous = current.effectors[0].pose
        let clock = ContinuousClock()
        var lastSend: ContinuousClock.Instant? = nil
        for target in targets {
            let goal = target.effectors[0].pose
            // The profile follows the clock, not a tick count: a late wake-up skips ahead instead of sending a
            // burst of stale targets back to back.
            let actionStart = clock.now
            let actionDuration = period * substeps
            var tick = 0
            while true {
                tick += 1
                let fraction: Double
                if configuration.realTime {
                    let elapsed = clock.now - actionStart
                    fraction = min(elapsed / actionDuration, 1)
                } else {
                    fraction = min(Double(tick) / Double(substeps), 1)
                }
                let pose = try Self.interpolate(previous, goal, Self.minimumJerk(fraction))
                // servoL's `time` is the interval this target covers: the real one after a late wake-up, so the
                // envelope's speed and acceleration estimates match the motion actually commanded.
                var interval = 1 / configuration.servoRate
                if configuration.realTime {
                    let now = clock.now
                    if let lastSend { interval = min(max((now - lastSend) / .seconds(1), interval), 0.1) }
                    lastSend = now
                }
                do {
                    try link.send(.servoL(pose: pose.urPose, time: interval))
                } catch {
                    state = nil   // the link stopped the arm; the episode is over
                    throw error
                }
                if fraction >= 1 { break }
                if configuration.realTime, let lastSend {
                    // One servo period after the last command, never sooner: no bursts after a late wake-up.
                    try await clock.sleep(until: lastSend.advanced(by: period))
                }
            }
            previous = goal
            let measured = try link.latestState()
            record.append(ExecutedAction(commanded: goal.urPose, measured: measured.actualTCPPose,
                                         gripper: target.effectors[0].gripper))
            frames.append(try await camera.capture())
            executed += 1
            let finished = executed >= configuration.maxActions
            done.append(finished)
            state = target
            if finished { break }
        }
        let last = state ?? current
        // The chunk ends at rest (minimum-jerk); stopping ends the servo stream, so the adapter's watchdog does
        // not fire while the policy computes the next chunk.
        try link.stop()
        if done.last == true { state = nil }
        let image: RGBImage
        if let frame = frames.last { image = frame } else { image = try await camera.capture() }
        let observation = Observation(image: image, instruction: instruction, state: last, firstImage: firstImage)
        return EnvironmentStep(observation: observation, frames: frames, done: done, success: false)
    }

    /// Stops the arm and disconnects.
    public func close() async throws {
        try? link.stop()
        link.disconnect()
        state = nil
    }

    /// Every executed action of the current episode.
    public func trajectory() -> [ExecutedAction] { record }

    /// How many actions of the current episode were clipped to the per-action limits.
    public func clippedActions() -> Int { clipped }

    /// The chunk with every action's translation scaled to at most `translation` and each angle clamped to
    /// ±`rotation`, and how many actions changed.
    static func limit(_ chunk: ActionChunk, translation: Double, rotation: Double) throws -> (ActionChunk, Int) {
        var values = chunk.values
        var changed = 0
        let d = EndEffectorAction.dimension
        for start in stride(from: 0, to: values.count, by: d) {
            let t = (0..<3).map { Double(values[start + $0]) }
            let norm = (t[0] * t[0] + t[1] * t[1] + t[2] * t[2]).squareRoot()
            var touched = false
            if norm > translation {
                for i in 0..<3 { values[start + i] = Float(t[i] * translation / norm) }
                touched = true
            }
            for i in 3..<6 where abs(Double(values[start + i])) > rotation {
                values[start + i] = Float(values[start + i] < 0 ? -rotation : rotation)
                touched = true
            }
            if touched { changed += 1 }
        }
        return (try ActionChunk(steps: chunk.steps, maxEffectors: chunk.maxEffectors, values: values, validity: chunk.validity),
                changed)
    }

    /// The minimum-jerk profile `10t³ − 15t⁴ + 6t⁵`: zero velocity and acceleration at both ends of an action,
    /// so streaming never jumps in velocity (peak acceleration `5.77·d/T²` for a displacement d in time T).
    static func minimumJerk(_ t: Double) -> Double { t * t * t * (10 + t * (-15 + 6 * t)) }

    /// Position linearly, orientation by slerp.
    static func interpolate(_ a: Pose, _ b: Pose, _ t: Double) throws -> Pose {
        let position = a.position + t * (b.position - a.position)
        let q = try Quaternion(rotation: a.rotation).slerp(to: Quaternion(rotation: b.rotation), t: t)
        return try Pose(position: position, rotation: q.rotation)
    }
}
