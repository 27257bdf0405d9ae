/// Why the adapter's safety envelope refused a command or stopped the arm; carries the offending value.
public enum SafetyViolation: Error, Equatable, Sendable, CustomStringConvertible {
    /// `robot_mode` is not RUNNING.
    case robotNotRunning(robotMode: Int32)
    /// `safety_mode` is not NORMAL.
    case safetyNotNormal(safetyMode: Int32)
    /// A protective stop or emergency stop bit is set in `safety_status_bits`.
    case safetyStop(statusBits: UInt32)
    /// The control program is not running (`runtime_state`).
    case programNotRunning(runtimeState: UInt32)
    /// A TCP position coordinate (axis 0 = x, 1 = y, 2 = z) leaves the workspace box.
    case outsideWorkspace(axis: Int, value: Double, lower: Double, upper: Double)
    /// A joint angle leaves its range.
    case jointOutOfRange(joint: Int, value: Double, lower: Double, upper: Double)
    /// A joint would move faster than its limit.
    case jointSpeedExceeded(joint: Int, value: Double, limit: Double)
    /// The TCP would move (or moves) faster than the limit (m/s).
    case tcpSpeedExceeded(value: Double, limit: Double)
    /// The TCP would accelerate harder than the limit (m/s²).
    case tcpAccelerationExceeded(value: Double, limit: Double)
    /// One servo step translates the TCP further than the limit (m).
    case stepTranslationExceeded(value: Double, limit: Double)
    /// One servo step rotates the TCP further than the limit (rad).
    case stepRotationExceeded(value: Double, limit: Double)
    /// A command parameter (speed, acceleration, lookahead, gain, time) is outside its range.
    case parameterOutOfRange(name: String, value: Double, lower: Double, upper: Double)
    /// A command value is NaN or infinite.
    case nonFinite(name: String, index: Int, value: Double)
    /// A target has the wrong number of elements.
    case wrongLength(name: String, count: Int)
    /// A target pose has no inverse-kinematics solution near the current joints.
    case unreachable(pose: [Double])
    /// Commands stopped arriving for longer than the watchdog allows.
    case watchdogExpired(silenceSeconds: Double, limitSeconds: Double)

    /// A one-line message naming the offending value and the limit.
    public var description: String {
        switch self {
        case .robotNotRunning(let mode):
            return "robot_mode is \(RobotMode(rawValue: mode)?.description ?? String(mode)), motion needs RUNNING"
        case .safetyNotNormal(let mode):
            return "safety_mode is \(SafetyMode(rawValue: mode)?.description ?? String(mode)), motion needs NORMAL"
        case .safetyStop(let bits): return "safety stop active (safety_status_bits 0x\(String(bits, radix: 16)))"
        case .programNotRunning(let state):
            return "control program not running (runtime_state \(RuntimeState(rawValue: state)?.description ?? String(state)))"
        case .outsideWorkspace(let axis, let value, let lower, let upper):
            return "TCP \(["x", "y", "z"][min(max(axis, 0), 2)]) = \(value) m outside workspace [\(lower), \(upper)]"
        case .jointOutOfRange(let joint, let value, let lower, let upper):
            return "joint \(joint) = \(value) rad outside [\(lower), \(upper)]"
        case .jointSpeedExceeded(let joint, let value, let limit):
            return "joint \(joint) speed \(value) rad/s exceeds \(limit)"
        case .tcpSpeedExceeded(let value, let limit): return "TCP speed \(value) m/s exceeds \(limit)"
        case .tcpAccelerationExceeded(let value, let limit): return "TCP acceleration \(value) m/s² exceeds \(limit)"
        case .stepTranslationExceeded(let value, let limit): return "servo step moves TCP \(value) m, limit \(limit)"
        case .stepRotationExceeded(let value, let limit): return "servo step rotates TCP \(value) rad, limit \(limit)"
        case .parameterOutOfRange(let name, let value, let lower, let upper):
            return "\(name) = \(value) outside [\(lower), \(upper)]"
        case .nonFinite(let name, let index, let value): return "\(name)[\(index)] = \(value) is not finite"
        case .wrongLength(let name, let count): return "\(name) has \(count) elements, expected 6"
        case .unreachable(let pose): return "pose \(pose) is unreachable near the current joints"
        case .watchdogExpired(let silence, let limit): return "no command for \(silence) s, watchdog limit \(limit) s"
        }
    }
}
