/// The adapter's own limits on motion, independent of (and never relaxing) the robot's safety system.
///
/// ```swift
/// let envelope = SafetyEnvelope.ur30Default
/// try envelope.checkModes(state)             // RUNNING, NORMAL, no protective or emergency stop
/// try envelope.checkJoints(target)           // joint ranges
/// try envelope.checkPosition(pose)           // workspace box
/// ```
/// Violations throw ``SafetyViolation`` with the offending value. ``SafetyGate`` applies the
/// envelope to a command stream (per-step change, speed and acceleration between commands).
public struct SafetyEnvelope: Equatable, Sendable {
    /// Lower corner of the TCP workspace box `[x, y, z]` in the base frame (m).
    public var workspaceLower: [Double]
    /// Upper corner of the TCP workspace box (m).
    public var workspaceUpper: [Double]
    /// Joint position and speed limits.
    public var jointLimits: JointLimits
    /// Maximum TCP speed (m/s), for commands and for the measured speed.
    public var maxTCPSpeed: Double
    /// Maximum TCP acceleration between consecutive servo commands (m/s²).
    public var maxTCPAcceleration: Double
    /// Maximum TCP translation of one servo step (m).
    public var maxStepTranslation: Double
    /// Maximum TCP rotation of one servo step (rad).
    public var maxStepRotation: Double
    /// Maximum joint speed of blocking moves (rad/s).
    public var maxMoveJointSpeed: Double
    /// Maximum joint acceleration of blocking moves (rad/s²).
    public var maxMoveJointAcceleration: Double
    /// Commands must arrive at least this often while streaming, or the arm is stopped (s).
    public var watchdogTimeout: Double

    /// Creates an envelope; every limit must be finite and positive and the box non-empty.
    public init(workspaceLower: [Double], workspaceUpper: [Double], jointLimits: JointLimits = .ur30,
                maxTCPSpeed: Double, maxTCPAcceleration: Double, maxStepTranslation: Double,
                maxStepRotation: Double, maxMoveJointSpeed: Double = 1.05, maxMoveJointAcceleration: Double = 2.0,
                watchdogTimeout: Double = 0.1) throws {
        try Validate.count(workspaceLower.count, equals: 3, "workspaceLower")
        try Validate.count(workspaceUpper.count, equals: 3, "workspaceUpper")
        try Validate.finite(workspaceLower, "workspaceLower")
        try Validate.finite(workspaceUpper, "workspaceUpper")
        for axis in 0..<3 where !(workspaceLower[axis] < workspaceUpper[axis]) {
            throw ValidationError.invalid(argument: "workspaceLower",
                                          reason: "axis \(axis): \(workspaceLower[axis]) must be below \(workspaceUpper[axis])")
        }
        try Validate.positive(maxTCPSpeed, "maxTCPSpeed")
        try Validate.positive(maxTCPAcceleration, "maxTCPAcceleration")
        try Validate.positive(maxStepTranslation, "maxStepTranslation")
        try Validate.positive(maxStepRotation, "maxStepRotation")
        try Validate.positive(maxMoveJointSpeed, "maxMoveJointSpeed")
        try Validate.positive(maxMoveJointAcceleration, "maxMoveJointAcceleration")
        try Validate.positive(watchdogTimeout, "watchdogTimeout")
        self.workspaceLower = workspaceLower; self.workspaceUpper = workspaceUpper; self.jointLimits = jointLimits
        self.maxTCPSpeed = maxTCPSpeed; self.maxTCPAcceleration = maxTCPAcceleration
        self.maxStepTranslation = maxStepTranslation; self.maxStepRotation = maxStepRotation
        self.maxMoveJointSpeed = maxMoveJointSpeed; self.maxMoveJointAcceleration = maxMoveJointAcceleration
        self.watchdogTimeout = watchdogTimeout
    }

    /// Task limits for tabletop work with a UR30: a 2.4 × 2.4 × 1.4 m box above the base plane,
    /// 0.5 m/s and 10 m/s² at the TCP, at most 5 mm and 0.05 rad per servo step, 0.1 s watchdog.
    public static let ur30Default = SafetyEnvelope(
        unchecked: [-1.2, -1.2, 0.0], [1.2, 1.2, 1.4], maxTCPSpeed: 0.5, maxTCPAcceleration: 10,
        maxStepTranslation: 0.005, maxStepRotation: 0.05)

    private init(unchecked lower: [Double], _ upper: [Double], maxTCPSpeed: Double, maxTCPAcceleration: Double,
                 maxStepTranslation: Double, maxStepRotation: Double) {
        workspaceLower = lower; workspaceUpper = upper; jointLimits = .ur30
        self.maxTCPSpeed = maxTCPSpeed; self.maxTCPAcceleration = maxTCPAcceleration
        self.maxStepTranslation = maxStepTranslation; self.maxStepRotation = maxStepRotation
        maxMoveJointSpeed = 1.05; maxMoveJointAcceleration = 2.0; watchdogTimeout = 0.1
    }

    // MARK: - Checks

    /// Refuses unless robot_mode is RUNNING, safety_mode NORMAL and no protective or emergency stop is set.
    public func checkModes(_ state: ControllerState) throws {
        let stopBits = SafetyStatusBits.protectiveStop | SafetyStatusBits.emergencyStop
            | SafetyStatusBits.systemEmergencyStop | SafetyStatusBits.robotEmergencyStop
        if state.safetyStatusBits & stopBits != 0 { throw SafetyViolation.safetyStop(statusBits: state.safetyStatusBits) }
        if state.safetyMode != SafetyMode.normal.rawValue { throw SafetyViolation.safetyNotNormal(safetyMode: state.safetyMode) }
        if state.robotMode != RobotMode.running.rawValue { throw SafetyViolation.robotNotRunning(robotMode: state.robotMode) }
    }

    /// Checks a 6-vector for length and finiteness.
    public static func checkVector(_ values: [Double], _ name: String) throws {
        guard values.count == 6 else { throw SafetyViolation.wrongLength(name: name, count: values.count) }
        for (index, value) in values.enumerated() where !value.isFinite {
            throw SafetyViolation.nonFinite(name: name, index: index, value: value)
        }
    }

    /// Refuses joint angles outside the joint ranges.
    public func checkJoints(_ q: [Double]) throws {
        try Self.checkVector(q, "joints")
        for i in 0..<6 where q[i] < jointLimits.lower[i] || q[i] > jointLimits.upper[i] {
            throw SafetyViolation.jointOutOfRange(joint: i, value: q[i], lower: jointLimits.lower[i],
                                                  upper: jointLimits.upper[i])
        }
    }

    /// Refuses a TCP pose whose position leaves the workspace box.
    public func checkPosition(_ pose: [Double]) throws {
        try Self.checkVector(pose, "pose")
        for axis in 0..<3 where pose[axis] < workspaceLower[axis] || pose[axis] > workspaceUpper[axis] {
            throw SafetyViolation.outsideWorkspace(axis: axis, value: pose[axis], lower: workspaceLower[axis],
                                                   upper: workspaceUpper[axis])
        }
    }

    /// Refuses a joint step that exceeds any joint's speed limit over `dt` seconds.
    public func checkJointStep(from previous: [Double], to next: [Double], dt: Double) throws {
        for i in 0..<6 {
            let speed = abs(next[i] - previous[i]) / dt
            if speed > jointLimits.maxSpeed[i] {
                throw SafetyViolation.jointSpeedExceeded(joint: i, value: speed, limit: jointLimits.maxSpeed[i])
            }
        }
    }

    /// Refuses a measured TCP twist faster than the TCP speed limit (with `margin` for measurement noise).
    public func checkMeasuredSpeed(_ state: ControllerState, margin: Double = 1.1) throws {
        guard state.actualTCPSpeed.count >= 3 else { return }
        let speed = (state.actualTCPSpeed[0..<3].reduce(0) { $0 + $1 * $1 }).squareRoot()
        if speed > maxTCPSpeed * margin { throw SafetyViolation.tcpSpeedExceeded(value: speed, limit: maxTCPSpeed) }
    }

    /// Refuses a parameter outside `[lower, upper]`.
    public static func checkParameter(_ value: Double, _ name: String, _ lower: Double, _ upper: Double) throws {
        guard value.isFinite else { throw SafetyViolation.nonFinite(name: name, index: 0, value: value) }
        if value < lower || value > upper {
            throw SafetyViolation.parameterOutOfRange(name: name, value: value, lower: lower, upper: upper)
        }
    }
}
