/// A motion command for the arm; poses are `[x, y, z, rx, ry, rz]`, joints are 6 angles in rad.
public enum RobotCommand: Equatable, Sendable {
    /// Streaming joint servo: call every control tick (`time`, s); `lookahead` ∈ [0.03, 0.2] s; `gain` ∈ [100, 2000].
    case servoJ(joints: [Double], time: Double = 0.002, lookahead: Double = 0.1, gain: Double = 300)
    /// Streaming Cartesian servo, same parameters as ``servoJ(joints:time:lookahead:gain:)``.
    case servoL(pose: [Double], time: Double = 0.002, lookahead: Double = 0.1, gain: Double = 300)
    /// Tool speed (m/s, rad/s) with acceleration (m/s²) for `time` seconds (0 = until the next command).
    case speedL(twist: [Double], acceleration: Double, time: Double = 0)
    /// Blocking joint move at `speed` (rad/s) and `acceleration` (rad/s²).
    case moveJ(joints: [Double], speed: Double = 1.05, acceleration: Double = 1.4)
    /// Blocking linear move at `speed` (m/s) and `acceleration` (m/s²).
    case moveL(pose: [Double], speed: Double = 0.25, acceleration: Double = 1.2)
    /// Decelerate to standstill at `deceleration` (rad/s² for joint motion, m/s² for tool motion).
    case stop(deceleration: Double = 10)

    /// Short name for logs and errors.
    public var name: String {
        switch self {
        case .servoJ: return "servoJ"
        case .servoL: return "servoL"
        case .speedL: return "speedL"
        case .moveJ: return "moveJ"
        case .moveL: return "moveL"
        case .stop: return "stop"
        }
    }
}
