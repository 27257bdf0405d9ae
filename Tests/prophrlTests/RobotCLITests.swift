import Foundation
import Testing

/// `prophrl robot sim|status|move` as a user runs them, against a simulator on free ports.
@Suite("prophrl robot commands", .serialized)
struct RobotCLITests {
    /// Starts `prophrl robot sim` on free ports and returns the process and its ports.
    static func startSim() throws -> (process: Process, output: Pipe, ports: [String: String]) {
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = ["robot", "sim", "--rtde-port", "0", "--dashboard-port", "0", "--script-ports", "0,0,0",
                             "--duration", "60"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        // First line: "robot sim: UR30e 5.23.0.0 on 127.0.0.1: rtde N, dashboard N, script N,N,N"
        var line = ""
        while !line.hasSuffix("\n") {
            let byte = pipe.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty { break }
            line += String(decoding: byte, as: UTF8.self)
        }
        var ports: [String: String] = [:]
        for key in ["rtde", "dashboard", "script"] {
            if let range = line.range(of: "\(key) ") {
                let value = String(line[range.upperBound...].prefix { $0.isNumber || $0 == "," })
                ports[key] = value.hasSuffix(",") ? String(value.dropLast()) : value
            }
        }
        return (process, pipe, ports)
    }

    @Test("robot sim serves; robot status reads it; robot move moves through the envelope and refuses bad targets")
    func simStatusMove() throws {
        let (sim, _, ports) = try Self.startSim()
        defer { if sim.isRunning { sim.terminate() }; sim.waitUntilExit() }
        let rtde = try #require(ports["rtde"]), dashboard = try #require(ports["dashboard"])
        let script = try #require(ports["script"]?.split(separator: ",").last.map(String.init))
        let connection = ["--host", "127.0.0.1", "--rtde-port", rtde, "--dashboard-port", dashboard, "--script-port", script]

        let status = try CLITests.run(["robot", "status"] + connection + ["--duration", "0.5"])
        #expect(status.status == 0, "\(status.output)")
        #expect(status.output.contains("robot_mode: RUNNING"))
        #expect(status.output.contains("actual_q (rad): [0.00000, -1.57080, 1.57080, -1.57080, -1.57080, 0.00000]"))
        #expect(status.output.contains("rate: "))

        let move = try CLITests.run(["robot", "move"] + connection + ["--joints", "0.1,-1.5,1.5,-1.6,-1.5,0", "--speed", "0.5"])
        #expect(move.status == 0, "\(move.output)")
        #expect(move.output.contains("reached: q = [0.10000, -1.50000, 1.50000, -1.60000, -1.50000, 0.00000]"))

        let refused = try CLITests.run(["robot", "move"] + connection + ["--pose", "0,0,-1,0,0,0"])
        #expect(refused.status != 0)
        #expect(refused.output.contains("TCP z = -1.0 m outside workspace"))

        let malformed = try CLITests.run(["robot", "move"] + connection + ["--joints", "1,2"])
        #expect(malformed.status != 0)
        #expect(malformed.output.contains("--joints: expected 6 comma-separated numbers, got '1,2'"))
    }

    @Test("robot status without a controller fails with a message, not a hang")
    func noController() throws {
        let result = try CLITests.run(["robot", "status", "--host", "127.0.0.1", "--rtde-port", "1", "--timeout", "0.5"])
        #expect(result.status != 0)
        #expect(result.output.contains("Error"))
    }
}
