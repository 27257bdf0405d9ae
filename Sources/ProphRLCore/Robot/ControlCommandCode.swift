/// Command codes of the register-based control script, written to `input_int_register_0`.
///
/// The numbering is the one `ur_rtde` uses (robot.md §3), so the project's own script and
/// `ur_rtde`'s script speak the same register protocol and one simulator serves both.
public enum ControlCommandCode: Int32, Sendable, CaseIterable {
    /// No command (also the watchdog kick and the "clear" after a blocking command).
    case none = 0
    /// Blocking joint move: d0–d5 joints, d6 speed, d7 acceleration, i1 async flag.
    case moveJ = 1
    /// Blocking linear move: d0–d5 pose, d6 speed, d7 acceleration, i1 async flag.
    case moveL = 3
    /// Joint speed: d0–d5 speeds, d6 acceleration, d7 time.
    case speedJ = 9
    /// Tool speed: d0–d5 twist, d6 acceleration, d7 time.
    case speedL = 10
    /// Joint servo (real-time): d0–d5 joints, d6 v, d7 a, d8 time, d9 lookahead, d10 gain.
    case servoJ = 11
    /// Decelerate a speed command: d0 deceleration.
    case speedStop = 15
    /// Decelerate a servo command: d0 deceleration.
    case servoStop = 16
    /// Cartesian servo (real-time): d0–d5 pose, d6 v, d7 a, d8 time, d9 lookahead, d10 gain.
    case servoL = 24
    /// Linear stop: d0 deceleration.
    case stopL = 33
    /// Joint stop: d0 deceleration.
    case stopJ = 34
    /// Arm the RTDE watchdog on the command register: d0 minimum frequency (Hz).
    case setWatchdog = 35
    /// End the control script.
    case stopScript = 255

    /// Whether the script applies the command and signals ready at once (servo and speed streams).
    public var isRealTime: Bool {
        switch self {
        case .servoJ, .servoL, .speedJ, .speedL: return true
        default: return false
        }
    }
}

/// Values of `output_int_register_0`, the control script's answer.
public enum ControlScriptState {
    /// The script waits for a command.
    public static let ready: Int32 = 1
    /// A blocking command finished; the client must clear the command register.
    public static let done: Int32 = 2
}
