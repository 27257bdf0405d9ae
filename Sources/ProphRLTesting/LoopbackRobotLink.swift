import ProphRLCore

/// An in-memory ``RobotLink``: a kinematic UR30 that reaches every admitted target at once.
///
/// It applies the same ``SafetyGate`` as the real adapter, counts the stops the gate caused,
/// and lets tests inject safety events:
///
/// ```swift
/// var link = LoopbackRobotLink(initialJoints: [0, -1.57, 1.57, -1.57, -1.57, 0])
/// try link.connect()
/// try link.send(.servoJ(joints: target))
/// link.inject(safetyMode: .protectiveStop)       // the next send throws SafetyViolation.safetyStop
/// ```
public struct LoopbackRobotLink: RobotLink {
    /// Every command the gate admitted, in order.
    public private(set) var sentCommands: [RobotCommand] = []
    /// How many times the arm was stopped (explicitly or because of a violation).
    public private(set) var stopCount = 0
    /// The simulated controller state.
    public private(set) var state: ControllerState
    /// True between connect and disconnect.
    public private(set) var isConnected = false
    private var gate: SafetyGate
    private let kinematics: UR30Kinematics
    private let period: Double

    /// Creates a link at `initialJoints` with `envelope`; state time advances `period` per call.
    public init(initialJoints: [Double] = [0, -1.5708, 1.5708, -1.5708, -1.5708, 0],
                envelope: SafetyEnvelope = .ur30Default, kinematics: UR30Kinematics = UR30Kinematics(),
                period: Double = 0.002) throws {
        try Validate.count(initialJoints.count, equals: 6, "initialJoints")
        try Validate.finite(initialJoints, "initialJoints")
        try Validate.positive(period, "period")
        self.kinematics = kinematics
        self.period = period
        gate = SafetyGate(envelope: envelope, kinematics: kinematics)
        state = ControllerState(actualQ: initialJoints, targetQ: initialJoints,
                           actualTCPPose: try kinematics.forward(initialJoints),
                           runtimeState: RuntimeState.playing.rawValue,
                           robotStatusBits: RobotStatusBits.powerOn | RobotStatusBits.programRunning)
    }

    /// Marks the link connected.
    public mutating func connect() throws { isConnected = true }

    /// The current state; time advances one period per call.
    public mutating func latestState() throws -> ControllerState {
        guard isConnected else { throw RTDEError.connectionClosed("latestState on a disconnected loopback link") }
        state.timestamp += period
        return state
    }

    /// Admits `command` through the gate and applies it instantly; a violation stops the arm first.
    public mutating func send(_ command: RobotCommand) throws {
        guard isConnected else { throw RTDEError.connectionClosed("send on a disconnected loopback link") }
        do {
            try gate.admit(command, state: state, now: state.timestamp)
        } catch {
            try stop()
            throw error
        }
        sentCommands.append(command)
        state.timestamp += period
        switch command {
        case .servoJ(let joints, _, _, _), .moveJ(let joints, _, _): try place(joints)
        case .servoL(let pose, _, _, _), .moveL(let pose, _, _):
            try place(try kinematics.inverse(pose: pose, seed: state.actualQ))
        case .speedL, .stop: state.actualQd = Array(repeating: 0, count: 6)
        }
    }

    /// Stops the arm (velocities to zero) and counts it.
    public mutating func stop() throws {
        stopCount += 1
        gate.reset()
        state.actualQd = Array(repeating: 0, count: 6)
        state.actualTCPSpeed = Array(repeating: 0, count: 6)
    }

    /// Stops and disconnects.
    public mutating func disconnect() {
        if isConnected { try? stop() }
        isConnected = false
    }

    /// Puts the simulated controller into `safetyMode` (with its status bits), as a safety event would.
    public mutating func inject(safetyMode: SafetyMode) {
        state.safetyMode = safetyMode.rawValue
        state.safetyStatusBits = safetyMode.statusBits
    }

    /// Puts the simulated controller into `robotMode`.
    public mutating func inject(robotMode: RobotMode) { state.robotMode = robotMode.rawValue }

    private mutating func place(_ joints: [Double]) throws {
        state.actualQ = joints
        state.targetQ = joints
        state.actualTCPPose = try kinematics.forward(joints)
    }
}
