/// Errors of the ``Camera`` port, each naming the source (device path or stream URL).
public enum CameraError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The device does not exist (e.g. `/dev/video9`).
    case notFound(source: String)
    /// The source could not be opened or decoded; `reason` is the library's explanation.
    case unavailable(source: String, reason: String)
    /// Opening, reading or waiting for a new frame took longer than `seconds`.
    case timedOut(source: String, step: String, seconds: Double)
    /// The stream ended (a finite network stream or a disconnected device).
    case ended(source: String)
    /// The camera was asked for something invalid; `detail` names the argument, expected and actual value.
    case invalidArgument(source: String, detail: String)

    /// A one-line message.
    public var description: String {
        switch self {
        case .notFound(let source): return "camera '\(source)' not found"
        case .unavailable(let source, let reason): return "camera '\(source)' unavailable: \(reason)"
        case .timedOut(let source, let step, let seconds): return "camera '\(source)': \(step) timed out after \(seconds) s"
        case .ended(let source): return "camera '\(source)': the stream ended"
        case .invalidArgument(let source, let detail): return "camera '\(source)': \(detail)"
        }
    }
}
