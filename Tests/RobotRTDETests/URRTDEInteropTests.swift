import Foundation
import ProphRLCore
import Testing
import URControllerSim

/// The real third-party client `ur_rtde` (PyPI `ur-rtde`) against the simulator, over loopback.
///
/// ur_rtde's ports are fixed, so the simulator serves the standard ports on 127.0.0.1. Skipped with a
/// message when `ur_rtde` is not installed, unless `PROPHRL_REQUIRE_PEERS=1` (then it fails).
@Suite("ur_rtde interop", .serialized)
struct URRTDEInteropTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Peers/ur_rtde_interop.py")

    static func run(_ arguments: [String], timeout: Double) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { process.terminate() }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static var peerAvailable: Bool {
        (try? run(["python3", "-c", "import rtde_control, rtde_receive"], timeout: 20).status) == 0
    }

    static var peersRequired: Bool { ProcessInfo.processInfo.environment["PROPHRL_REQUIRE_PEERS"] == "1" }

    static func maxDifference(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).map { abs($0 - $1) }.max() ?? .infinity
    }

    @Test("RTDEReceiveInterface reads the sim's state; RTDEControlInterface moves, servos, stops, watchdog fires")
    func interop() throws {
        guard Self.peerAvailable else {
            if Self.peersRequired { Issue.record("ur_rtde is not installed (pip install ur-rtde==1.6.5)") }
            else { print("ur_rtde interop skipped: python3 package ur-rtde not installed (make deps installs it)") }
            return
        }
        let sim = try URControllerSim(configuration: URControllerSimConfiguration())
        try sim.start()
        defer { sim.stop() }
        let home = sim.snapshot()
        let (status, output) = try Self.run(["python3", Self.script.path, "127.0.0.1"], timeout: 60)
        guard status == 0, let line = output.split(separator: "\n").last(where: { $0.hasPrefix("{") }),
              let report = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            Issue.record("ur_rtde script failed (status \(status)):\n\(output)")
            return
        }
        func vector(_ key: String) -> [Double] { (report[key] as? [Double]) ?? [] }
        func number(_ key: String) -> Double { (report[key] as? Double) ?? (report[key] as? Int).map(Double.init) ?? .nan }
        func flag(_ key: String) -> Bool { (report[key] as? Bool) ?? false }

        #expect(flag("receive_connected") && flag("control_connected") && flag("program_running"))
        #expect(Self.maxDifference(vector("initial_q"), home.q) < 1e-12)
        #expect(Self.maxDifference(vector("initial_pose"), try UR30Kinematics().forward(home.q)) < 1e-9)
        #expect(number("control_connect_s") < 2)
        #expect(flag("moveJ"))
        #expect(Self.maxDifference(vector("q_after_moveJ"), vector("moveJ_target")) < 1e-9)
        #expect(number("servoJ_ok") == number("servoJ_ticks"))
        #expect(Self.maxDifference(vector("q_after_servoJ"), vector("servoJ_final_target")) < 1e-6)
        #expect(flag("servoStop"))
        #expect(number("servoL_ok") == 250)
        #expect(abs(number("z_after_servoL") - number("servoL_target_z")) < 1e-6)
        #expect(number("runtime_after_stopScript") == Double(RuntimeState.stopped.rawValue))
        #expect(flag("reupload"))
        #expect(number("runtime_after_silence") == Double(RuntimeState.stopped.rawValue))
        #expect(sim.snapshot().events.contains { $0.contains("RTDE watchdog") })
        print("ur_rtde interop: control connect \(number("control_connect_s")) s, servoJ at \(number("servoJ_rate_hz")) Hz")
    }
}
