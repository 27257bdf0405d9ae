/// The newest state of the arm as the controller reports it (one RTDE output package).
public struct ControllerState: Equatable, Sendable {
    /// Controller time (s since controller start).
    public var timestamp: Double
    /// Measured joint positions (rad).
    public var actualQ: [Double]
    /// Commanded joint positions (rad).
    public var targetQ: [Double]
    /// Measured joint velocities (rad/s).
    public var actualQd: [Double]
    /// Measured TCP pose `[x, y, z, rx, ry, rz]` in the base frame.
    public var actualTCPPose: [Double]
    /// Measured TCP twist (m/s, rad/s).
    public var actualTCPSpeed: [Double]
    /// `robot_mode` code.
    public var robotMode: Int32
    /// `safety_mode` code.
    public var safetyMode: Int32
    /// `safety_status_bits`.
    public var safetyStatusBits: UInt32
    /// `runtime_state` code.
    public var runtimeState: UInt32
    /// `robot_status_bits`.
    public var robotStatusBits: UInt32
    /// Speed slider fraction (0…1).
    public var speedScaling: Double
    /// Digital inputs.
    public var digitalInputBits: UInt64
    /// Digital outputs.
    public var digitalOutputBits: UInt64
    /// `output_int_register_0…` values the controller reported, by register number.
    public var outputIntRegisters: [Int: Int32]

    /// Creates a state; unspecified fields take a powered, idle, normal-safety default.
    public init(timestamp: Double = 0, actualQ: [Double] = Array(repeating: 0, count: 6),
                targetQ: [Double] = Array(repeating: 0, count: 6), actualQd: [Double] = Array(repeating: 0, count: 6),
                actualTCPPose: [Double] = Array(repeating: 0, count: 6),
                actualTCPSpeed: [Double] = Array(repeating: 0, count: 6),
                robotMode: Int32 = RobotMode.running.rawValue, safetyMode: Int32 = SafetyMode.normal.rawValue,
                safetyStatusBits: UInt32 = SafetyStatusBits.normal, runtimeState: UInt32 = RuntimeState.stopped.rawValue,
                robotStatusBits: UInt32 = RobotStatusBits.powerOn, speedScaling: Double = 1,
                digitalInputBits: UInt64 = 0, digitalOutputBits: UInt64 = 0, outputIntRegisters: [Int: Int32] = [:]) {
        self.timestamp = timestamp; self.actualQ = actualQ; self.targetQ = targetQ; self.actualQd = actualQd
        self.actualTCPPose = actualTCPPose; self.actualTCPSpeed = actualTCPSpeed; self.robotMode = robotMode
        self.safetyMode = safetyMode; self.safetyStatusBits = safetyStatusBits; self.runtimeState = runtimeState
        self.robotStatusBits = robotStatusBits; self.speedScaling = speedScaling
        self.digitalInputBits = digitalInputBits; self.digitalOutputBits = digitalOutputBits
        self.outputIntRegisters = outputIntRegisters
    }

    /// True when a protective stop or an emergency stop is reported.
    public var isSafetyStopped: Bool {
        safetyStatusBits & (SafetyStatusBits.protectiveStop | SafetyStatusBits.emergencyStop
            | SafetyStatusBits.systemEmergencyStop | SafetyStatusBits.robotEmergencyStop) != 0
            || safetyMode == SafetyMode.protectiveStop.rawValue
            || safetyMode == SafetyMode.robotEmergencyStop.rawValue
            || safetyMode == SafetyMode.systemEmergencyStop.rawValue
    }
}
