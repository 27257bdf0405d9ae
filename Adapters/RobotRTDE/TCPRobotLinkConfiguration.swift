import ProphRLCore

/// How ``TCPRobotLink`` reaches and guards a UR e-Series controller.
public struct TCPRobotLinkConfiguration: Sendable {
    /// Controller address.
    public var host: String
    /// RTDE port.
    public var rtdePort: UInt16 = 30004
    /// Dashboard port.
    public var dashboardPort: UInt16 = 29999
    /// Script port the control program is uploaded to (real-time interface).
    public var scriptPort: UInt16 = 30003
    /// Output rate (Hz); nil = the controller's rate (500 Hz e-Series, 125 Hz CB3).
    public var frequency: Double?
    /// The adapter's safety envelope.
    public var envelope: SafetyEnvelope = .ur30Default
    /// Kinematic model (TCP offset included) used by the envelope.
    public var kinematics = UR30Kinematics()
    /// Newest state older than this (s) is stale: commands are refused and the arm stopped.
    public var stalenessLimit = 0.1
    /// Minimum command rate of the controller-side RTDE watchdog armed by the control script (Hz).
    public var watchdogFrequency = 10.0
    /// Seconds each socket operation may wait.
    public var ioTimeout = 2.0
    /// Seconds a blocking move may take before the link gives up and stops the arm.
    public var moveTimeout = 120.0
    /// Read-only mode: no input recipes, no control script (for `robot status`).
    public var controlEnabled = true
    /// Whether to use the dashboard (greeting, version, remote-control check, safe stop path).
    public var useDashboard = true

    /// A configuration for `host` with the defaults above.
    public init(host: String) { self.host = host }
}
