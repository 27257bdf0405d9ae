import ArgumentParser
import Foundation
import ProphRLCore
import RobotRTDE

/// `prophrl robot status`: modes, joints, TCP pose and the live RTDE rate, read-only.
struct RobotStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show robot and safety modes, joints, TCP pose and the live RTDE rate (read-only)."
    )

    @OptionGroup var connection: RobotConnectionOptions
    @Option(help: "Seconds to sample the stream for the rate.")
    var duration: Double = 1

    func run() throws {
        guard duration.isFinite, duration > 0, duration <= 3600 else {
            throw ValidationError("--duration: expected a number of seconds in (0, 3600], got \(duration)")
        }
        var configuration = connection.linkConfiguration()
        configuration.controlEnabled = false
        configuration.useDashboard = false
        let link = TCPRobotLink(configuration: configuration)
        try link.connect()
        defer { link.disconnect() }
        let before = link.statistics ?? RTDEStreamStatistics()
        Thread.sleep(forTimeInterval: duration)
        let state = try link.latestState()
        let after = link.statistics ?? RTDEStreamStatistics()
        let rate = Double(after.received - before.received) / duration
        func joined(_ values: [Double]) -> String { values.map { String(format: "%.5f", $0) }.joined(separator: ", ") }
        let mode = RobotMode(rawValue: state.robotMode)?.description ?? "\(state.robotMode)"
        let safety = SafetyMode(rawValue: state.safetyMode)?.description ?? "\(state.safetyMode)"
        let runtime = RuntimeState(rawValue: state.runtimeState)?.description ?? "\(state.runtimeState)"
        CLIParsing.emit("controller: \(link.controllerVersion?.description ?? "?") at \(connection.host)")
        CLIParsing.emit("robot_mode: \(mode)  safety_mode: \(safety)  runtime_state: \(runtime)")
        CLIParsing.emit("safety_status_bits: 0x\(String(state.safetyStatusBits, radix: 16))  speed_scaling: \(state.speedScaling)")
        CLIParsing.emit("actual_q (rad): [\(joined(state.actualQ))]")
        CLIParsing.emit("actual_TCP_pose (m, rad): [\(joined(state.actualTCPPose))]")
        CLIParsing.emit(String(format: "rate: %.1f Hz (%d packages in %.1f s, %d skipped by the controller)", rate,
                               after.received - before.received, duration, after.skipped - before.skipped))
    }
}
