/// UR `runtime_state` codes (RTDE UINT32): the state of the program interpreter.
public enum RuntimeState: UInt32, Sendable, CaseIterable, CustomStringConvertible {
    /// 0
    case stopping = 0
    /// 1
    case stopped = 1
    /// 2: a program (e.g. the control script) is running.
    case playing = 2
    /// 3
    case pausing = 3
    /// 4
    case paused = 4
    /// 5
    case resuming = 5

    /// Upper-case name as the dashboard prints it (`programState` → `PLAYING`).
    public var description: String {
        switch self {
        case .stopping: return "STOPPING"
        case .stopped: return "STOPPED"
        case .playing: return "PLAYING"
        case .pausing: return "PAUSING"
        case .paused: return "PAUSED"
        case .resuming: return "RESUMING"
        }
    }
}
