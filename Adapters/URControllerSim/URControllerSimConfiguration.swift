import ProphRLCore

/// Where and how the simulated UR30e controller serves (defaults are a real controller's ports on loopback).
public struct URControllerSimConfiguration: Sendable {
    /// Address to listen on; 127.0.0.1 by default so nothing outside the machine can reach it.
    public var host: String = "127.0.0.1"
    /// RTDE port (30004 on a real controller; 0 picks a free port).
    public var rtdePort: UInt16 = 30004
    /// Dashboard port (29999; 0 picks a free port).
    public var dashboardPort: UInt16 = 29999
    /// Script ports: primary, secondary, real-time (30001–30003; 0 picks free ports).
    public var scriptPorts: [UInt16] = [30001, 30002, 30003]
    /// Version reported by GET_URCONTROL_VERSION and the dashboard.
    public var controllerVersion = RTDEControllerVersion(major: 5, minor: 23, bugfix: 0, build: 0)
    /// Joint angles at start (rad).
    public var initialJoints: [Double] = [0, -1.5708, 1.5708, -1.5708, -1.5708, 0]
    /// Robot mode at start (RUNNING: powered, brakes released).
    public var initialRobotMode: RobotMode = .running
    /// Control rate (Hz): 500 on e-Series.
    public var controlFrequency: Double = 500
    /// Serial number the dashboard reports.
    public var serialNumber = "20235500001"
    /// For tests of client error paths: answer every protocol-version request with "refused".
    public var refuseProtocolVersion = false

    /// The defaults: a UR30e at 5.23 on 127.0.0.1 with the standard ports.
    public init() {}

    /// Every port 0, so the operating system picks free ones (parallel tests).
    public static var ephemeral: URControllerSimConfiguration {
        var configuration = URControllerSimConfiguration()
        configuration.rtdePort = 0
        configuration.dashboardPort = 0
        configuration.scriptPorts = [0, 0, 0]
        return configuration
    }
}

/// A copy of the simulator's state for tests and the `robot sim` status line.
public struct URControllerSimSnapshot: Sendable {
    /// Controller time (s).
    public var time: Double
    /// Joint positions (rad).
    public var q: [Double]
    /// Joint velocities (rad/s).
    public var qd: [Double]
    /// TCP pose.
    public var tcpPose: [Double]
    /// Robot mode.
    public var robotMode: RobotMode
    /// Safety mode.
    public var safetyMode: SafetyMode
    /// Runtime state.
    public var runtimeState: RuntimeState
    /// Armed RTDE watchdog frequency, if any.
    public var watchdogFrequency: Double?
    /// Event log (program start/stop, watchdog, safety), oldest first.
    public var events: [String]
    /// Number of connected RTDE clients.
    public var rtdeClients: Int
    /// Output packages sent in total.
    public var packagesSent: Int
    /// Control ticks that ran late and were caught up without an output.
    public var skippedTicks: Int
}
