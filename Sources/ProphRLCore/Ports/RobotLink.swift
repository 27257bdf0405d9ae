/// A connection to a robot arm controller: newest state in, motion commands out.
///
/// Adapters: `TCPRobotLink` (RTDE + dashboard + control script on a UR e-Series controller or
/// the project's simulator) and `LoopbackRobotLink` (in-memory, tests). Calls are synchronous
/// and bounded by timeouts: a 500 Hz control loop runs on its own thread and must not hop
/// executors. Every implementation applies a ``SafetyEnvelope`` to commands and stops the arm
/// before throwing a ``SafetyViolation``.
///
/// ```swift
/// func wave(_ link: inout some RobotLink) throws {
///     try link.connect()
///     var q = try link.latestState().actualQ
///     for _ in 0..<500 {                          // 1 s of servoing at 500 Hz
///         q[5] += 0.0005
///         try link.send(.servoJ(joints: q))
///     }
///     try link.send(.moveJ(joints: [0, -1.57, 1.57, -1.57, -1.57, 0]))   // returns when reached
///     try link.stop()
///     link.disconnect()
/// }
/// ```
public protocol RobotLink: Sendable {
    /// True between a successful ``connect()`` and ``disconnect()`` (false after a fatal error).
    var isConnected: Bool { get }

    /// Opens the connection, negotiates the protocol and starts the state stream and control program.
    mutating func connect() throws

    /// The newest state received; throws if the stream is stale or the connection failed.
    mutating func latestState() throws -> ControllerState

    /// Sends one command after the safety envelope admits it; blocking moves return when finished.
    /// - Throws: ``SafetyViolation`` (after stopping the arm), or a transport error.
    mutating func send(_ command: RobotCommand) throws

    /// Decelerates the arm to standstill; never refused by the envelope.
    mutating func stop() throws

    /// Stops the arm if possible and closes the connection; safe to call more than once.
    mutating func disconnect()
}
