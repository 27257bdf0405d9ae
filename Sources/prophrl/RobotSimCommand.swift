import ArgumentParser
import Foundation
import ProphRLCore
import URControllerSim

/// `prophrl robot sim`: serves a simulated UR30e (RTDE, dashboard, script ports) until interrupted.
struct RobotSimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Run a simulated UR30e controller that ur_rtde and ProphRL's driver accept."
    )

    @Option(help: "Address to listen on (default loopback only).")
    var host = "127.0.0.1"
    @Option(help: "RTDE port (0 = pick a free one).")
    var rtdePort: UInt16 = 30004
    @Option(help: "Dashboard port (0 = pick a free one).")
    var dashboardPort: UInt16 = 29999
    @Option(help: "Script ports primary,secondary,real-time (0 = pick free ones).")
    var scriptPorts = "30001,30002,30003"
    @Option(help: "Initial joint angles in rad, six comma-separated values.")
    var joints = "0,-1.5708,1.5708,-1.5708,-1.5708,0"
    @Option(help: "Stop after this many seconds (0 = run until interrupted).")
    var duration: Double = 0
    @Flag(help: "Print a status line every second.")
    var verbose = false

    func run() throws {
        var configuration = URControllerSimConfiguration()
        configuration.host = host
        configuration.rtdePort = rtdePort
        configuration.dashboardPort = dashboardPort
        configuration.scriptPorts = try CLIParsing.ports(scriptPorts, option: "--script-ports", count: 3)
        configuration.initialJoints = try CLIParsing.vector(joints, option: "--joints")
        let sim = try URControllerSim(configuration: configuration)
        try sim.start()
        CLIParsing.emit("robot sim: UR30e \(configuration.controllerVersion) on \(host): rtde \(sim.rtdePort), "
              + "dashboard \(sim.dashboardPort), script \(sim.scriptPorts.map(String.init).joined(separator: ","))")
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let stopRequested = DispatchSemaphore(value: 0)
        let sources = [SIGINT, SIGTERM].map { sig -> DispatchSourceSignal in
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { stopRequested.signal() }
            source.resume()
            return source
        }
        let start = Date()
        var eventsPrinted = 0
        while stopRequested.wait(timeout: .now() + 1) == .timedOut {
            let snapshot = sim.snapshot()
            for event in snapshot.events.dropFirst(eventsPrinted) { CLIParsing.emit("event: \(event)") }
            eventsPrinted = snapshot.events.count
            if verbose {
                CLIParsing.emit(String(format: "t=%.1f mode=%@ safety=%@ runtime=%@ clients=%d q=%@", snapshot.time,
                             "\(snapshot.robotMode)", "\(snapshot.safetyMode)", "\(snapshot.runtimeState)",
                             snapshot.rtdeClients, snapshot.q.map { String(format: "%.4f", $0) }.joined(separator: ",")))
            }
                if duration > 0 && Date().timeIntervalSince(start) >= duration { break }
        }
        sources.forEach { $0.cancel() }
        sim.stop()
        CLIParsing.emit("robot sim: stopped")
    }
}
