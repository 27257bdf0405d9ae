/// Applies a ``SafetyEnvelope`` to a stream of commands: modes, ranges, per-step change, speed and acceleration.
///
/// One gate lives for one connection. `admit` either returns normally (the command may be sent)
/// or throws ``SafetyViolation``; the caller then stops the arm. A stop is always admitted.
///
/// ```swift
/// var gate = SafetyGate(envelope: .ur30Default)
/// try gate.admit(.servoJ(joints: next), state: link.latestState(), now: clock())
/// try gate.checkWatchdog(now: clock())      // in the control loop: stop if commands stopped
/// ```
public struct SafetyGate: Sendable {
    /// The limits applied.
    public let envelope: SafetyEnvelope
    /// The kinematic model used to map joint targets to TCP poses and back.
    public let kinematics: UR30Kinematics
    private var lastJoints: [Double]?
    private var lastPose: [Double]?
    private var lastVelocity: [Double]?
    private var lastInterval: Double?
    private var lastCommandTime: Double?

    /// Creates a gate with an empty history.
    public init(envelope: SafetyEnvelope, kinematics: UR30Kinematics = UR30Kinematics()) {
        self.envelope = envelope
        self.kinematics = kinematics
    }

    /// True while a servo stream is in progress (the watchdog applies).
    public var isStreaming: Bool { lastJoints != nil }

    /// Forgets the stream history (after a stop, a blocking move or a reconnect).
    public mutating func reset() {
        lastJoints = nil; lastPose = nil; lastVelocity = nil; lastInterval = nil; lastCommandTime = nil
    }

    /// Throws ``SafetyViolation/watchdogExpired(silenceSeconds:limitSeconds:)`` if a stream went silent.
    public func checkWatchdog(now: Double) throws {
        guard isStreaming, let last = lastCommandTime else { return }
        let silence = now - last
        if silence > envelope.watchdogTimeout {
            throw SafetyViolation.watchdogExpired(silenceSeconds: silence, limitSeconds: envelope.watchdogTimeout)
        }
    }

    /// Checks `command` against the envelope and the newest `state`; records servo targets on success.
    public mutating func admit(_ command: RobotCommand, state: ControllerState, now: Double) throws {
        if case .stop = command { reset(); return }
        try envelope.checkModes(state)
        switch command {
        case .servoJ(let joints, let time, let lookahead, let gain):
            try Self.checkServoParameters(time: time, lookahead: lookahead, gain: gain)
            try envelope.checkJoints(joints)
            let pose = try kinematics.forward(joints)
            try envelope.checkPosition(pose)
            try admitServoStep(joints: joints, pose: pose, time: time, state: state)
        case .servoL(let pose, let time, let lookahead, let gain):
            try Self.checkServoParameters(time: time, lookahead: lookahead, gain: gain)
            try envelope.checkPosition(pose)
            let seed = lastJoints ?? state.actualQ
            guard let joints = try? kinematics.inverse(pose: pose, seed: seed) else {
                throw SafetyViolation.unreachable(pose: pose)
            }
            try envelope.checkJoints(joints)
            try admitServoStep(joints: joints, pose: pose, time: time, state: state)
        case .speedL(let twist, let acceleration, let time):
            try SafetyEnvelope.checkVector(twist, "twist")
            let speed = (twist[0..<3].reduce(0) { $0 + $1 * $1 }).squareRoot()
            if speed > envelope.maxTCPSpeed { throw SafetyViolation.tcpSpeedExceeded(value: speed, limit: envelope.maxTCPSpeed) }
            try SafetyEnvelope.checkParameter(acceleration, "acceleration", 1e-6, envelope.maxTCPAcceleration)
            try SafetyEnvelope.checkParameter(time, "time", 0, 10)
            try envelope.checkPosition(state.actualTCPPose)
            reset()
        case .moveJ(let joints, let speed, let acceleration):
            try envelope.checkJoints(joints)
            try envelope.checkPosition(try kinematics.forward(joints))
            try SafetyEnvelope.checkParameter(speed, "speed", 1e-6, envelope.maxMoveJointSpeed)
            try SafetyEnvelope.checkParameter(acceleration, "acceleration", 1e-6, envelope.maxMoveJointAcceleration)
            reset()
        case .moveL(let pose, let speed, let acceleration):
            // The box is convex, so a straight line between two points inside it stays inside.
            try envelope.checkPosition(pose)
            try envelope.checkPosition(state.actualTCPPose)
            guard let joints = try? kinematics.inverse(pose: pose, seed: state.actualQ) else {
                throw SafetyViolation.unreachable(pose: pose)
            }
            try envelope.checkJoints(joints)
            try SafetyEnvelope.checkParameter(speed, "speed", 1e-6, envelope.maxTCPSpeed)
            try SafetyEnvelope.checkParameter(acceleration, "acceleration", 1e-6, envelope.maxTCPAcceleration)
            reset()
        case .stop:
            break
        }
        lastCommandTime = now
    }

    /// Checks the servo call parameters against the controller's documented ranges.
    static func checkServoParameters(time: Double, lookahead: Double, gain: Double) throws {
        try SafetyEnvelope.checkParameter(time, "time", 0.001, 0.1)
        try SafetyEnvelope.checkParameter(lookahead, "lookahead", 0.03, 0.2)
        try SafetyEnvelope.checkParameter(gain, "gain", 100, 2000)
    }

    /// Per-step change, TCP speed and TCP acceleration of one servo target relative to the previous one.
    private mutating func admitServoStep(joints: [Double], pose: [Double], time: Double, state: ControllerState) throws {
        let previousJoints = lastJoints ?? state.actualQ
        try envelope.checkJointStep(from: previousJoints, to: joints, dt: time)
        let previousPose = try lastPose ?? kinematics.forward(previousJoints)
        let error = try UR30Kinematics.poseError(from: previousPose, to: pose)
        let translation = (error[0..<3].reduce(0) { $0 + $1 * $1 }).squareRoot()
        let rotation = (error[3..<6].reduce(0) { $0 + $1 * $1 }).squareRoot()
        if translation > envelope.maxStepTranslation {
            throw SafetyViolation.stepTranslationExceeded(value: translation, limit: envelope.maxStepTranslation)
        }
        if rotation > envelope.maxStepRotation {
            throw SafetyViolation.stepRotationExceeded(value: rotation, limit: envelope.maxStepRotation)
        }
        let velocity = error[0..<3].map { $0 / time }
        let speed = translation / time
        if speed > envelope.maxTCPSpeed { throw SafetyViolation.tcpSpeedExceeded(value: speed, limit: envelope.maxTCPSpeed) }
        let previousVelocity = lastVelocity ?? (state.actualTCPSpeed.count >= 3 ? Array(state.actualTCPSpeed[0..<3]) : [0, 0, 0])
        let deltaV = (0..<3).reduce(0.0) { $0 + (velocity[$1] - previousVelocity[$1]) * (velocity[$1] - previousVelocity[$1]) }
        // Each velocity is the mean over its own interval, so two of them lie (previous + current) / 2 apart. With
        // equal intervals that is `time`; after a late wake-up (one long interval, then the servo period) dividing by
        // the short one alone would report a 25-fold acceleration the commanded motion does not have.
        let spacing = lastInterval.map { ($0 + time) / 2 } ?? time
        let acceleration = deltaV.squareRoot() / spacing
        if acceleration > envelope.maxTCPAcceleration {
            throw SafetyViolation.tcpAccelerationExceeded(value: acceleration, limit: envelope.maxTCPAcceleration)
        }
        lastJoints = joints
        lastPose = pose
        lastVelocity = velocity
        lastInterval = time
    }
}
