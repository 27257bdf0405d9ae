/// UR `robot_mode` codes (RTDE INT32).
public enum RobotMode: Int32, Sendable, CaseIterable, CustomStringConvertible {
    /// -1
    case noController = -1
    /// 0
    case disconnected = 0
    /// 1
    case confirmSafety = 1
    /// 2
    case booting = 2
    /// 3
    case powerOff = 3
    /// 4
    case powerOn = 4
    /// 5
    case idle = 5
    /// 6
    case backdrive = 6
    /// 7: the only mode in which motion is allowed.
    case running = 7
    /// 8
    case updatingFirmware = 8

    /// The dashboard spelling (`Robotmode: RUNNING`).
    public var description: String {
        switch self {
        case .noController: return "NO_CONTROLLER"
        case .disconnected: return "DISCONNECTED"
        case .confirmSafety: return "CONFIRM_SAFETY"
        case .booting: return "BOOTING"
        case .powerOff: return "POWER_OFF"
        case .powerOn: return "POWER_ON"
        case .idle: return "IDLE"
        case .backdrive: return "BACKDRIVE"
        case .running: return "RUNNING"
        case .updatingFirmware: return "UPDATING_FIRMWARE"
        }
    }
}
