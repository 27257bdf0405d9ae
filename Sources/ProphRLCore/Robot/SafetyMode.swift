/// UR `safety_mode` codes (RTDE INT32).
public enum SafetyMode: Int32, Sendable, CaseIterable, CustomStringConvertible {
    /// 1: the only mode in which the driver moves the arm.
    case normal = 1
    /// 2
    case reduced = 2
    /// 3
    case protectiveStop = 3
    /// 4
    case recovery = 4
    /// 5
    case safeguardStop = 5
    /// 6
    case systemEmergencyStop = 6
    /// 7
    case robotEmergencyStop = 7
    /// 8
    case violation = 8
    /// 9
    case fault = 9
    /// 10
    case validateJointID = 10
    /// 11
    case undefined = 11
    /// 12
    case automaticModeSafeguardStop = 12
    /// 13
    case systemThreePositionEnablingStop = 13

    /// The dashboard spelling (`Safetymode: NORMAL`).
    public var description: String {
        switch self {
        case .normal: return "NORMAL"
        case .reduced: return "REDUCED"
        case .protectiveStop: return "PROTECTIVE_STOP"
        case .recovery: return "RECOVERY"
        case .safeguardStop: return "SAFEGUARD_STOP"
        case .systemEmergencyStop: return "SYSTEM_EMERGENCY_STOP"
        case .robotEmergencyStop: return "ROBOT_EMERGENCY_STOP"
        case .violation: return "VIOLATION"
        case .fault: return "FAULT"
        case .validateJointID: return "VALIDATE_JOINT_ID"
        case .undefined: return "UNDEFINED_SAFETY_MODE"
        case .automaticModeSafeguardStop: return "AUTOMATIC_MODE_SAFEGUARD_STOP"
        case .systemThreePositionEnablingStop: return "SYSTEM_THREE_POSITION_ENABLING_STOP"
        }
    }

    /// The `safety_status_bits` word a controller reports in this mode.
    public var statusBits: UInt32 {
        switch self {
        case .normal: return SafetyStatusBits.normal
        case .reduced: return SafetyStatusBits.reduced
        case .protectiveStop: return SafetyStatusBits.protectiveStop | SafetyStatusBits.stoppedDueToSafety
        case .recovery: return SafetyStatusBits.recovery
        case .safeguardStop, .automaticModeSafeguardStop, .systemThreePositionEnablingStop:
            return SafetyStatusBits.safeguardStop | SafetyStatusBits.stoppedDueToSafety
        case .systemEmergencyStop:
            return SafetyStatusBits.systemEmergencyStop | SafetyStatusBits.emergencyStop | SafetyStatusBits.stoppedDueToSafety
        case .robotEmergencyStop:
            return SafetyStatusBits.robotEmergencyStop | SafetyStatusBits.emergencyStop | SafetyStatusBits.stoppedDueToSafety
        case .violation: return SafetyStatusBits.violation | SafetyStatusBits.stoppedDueToSafety
        case .fault: return SafetyStatusBits.fault | SafetyStatusBits.stoppedDueToSafety
        case .validateJointID, .undefined: return 0
        }
    }
}

/// Bits of `safety_status_bits` (robot.md §1.6).
public enum SafetyStatusBits {
    /// bit 0
    public static let normal: UInt32 = 1 << 0
    /// bit 1
    public static let reduced: UInt32 = 1 << 1
    /// bit 2
    public static let protectiveStop: UInt32 = 1 << 2
    /// bit 3
    public static let recovery: UInt32 = 1 << 3
    /// bit 4
    public static let safeguardStop: UInt32 = 1 << 4
    /// bit 5
    public static let systemEmergencyStop: UInt32 = 1 << 5
    /// bit 6
    public static let robotEmergencyStop: UInt32 = 1 << 6
    /// bit 7
    public static let emergencyStop: UInt32 = 1 << 7
    /// bit 8
    public static let violation: UInt32 = 1 << 8
    /// bit 9
    public static let fault: UInt32 = 1 << 9
    /// bit 10
    public static let stoppedDueToSafety: UInt32 = 1 << 10
}

/// Bits of `robot_status_bits`.
public enum RobotStatusBits {
    /// bit 0: power on.
    public static let powerOn: UInt32 = 1 << 0
    /// bit 1: a program is running.
    public static let programRunning: UInt32 = 1 << 1
    /// bit 2: teach button pressed.
    public static let teachButtonPressed: UInt32 = 1 << 2
    /// bit 3: power button pressed.
    public static let powerButtonPressed: UInt32 = 1 << 3
}
