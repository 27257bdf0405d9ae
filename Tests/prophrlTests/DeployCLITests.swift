import Foundation
import Testing

/// `prophrl deploy` end to end: a tiny SFT policy drives `prophrl robot sim` over TCP with a replayed camera.
@Suite("prophrl deploy", .serialized)
struct DeployCLITests {
    @Test func deployRunsAPolicyOnTheControllerSimulator() throws {
        let dir = try SimCLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let demos = "\(dir)/demos.hdf5", sft = "\(dir)/sft.sqlite", camera = "\(dir)/camera.mkv", record = "\(dir)/deploy.mkv"
        try Data(PolicyCLITests.tinyPolicy.utf8).write(to: URL(fileURLWithPath: "\(dir)/sft.json"))
        #expect(try CLITests.run(["sim", "collect", "--task", "place-cube", "--episodes", "1", "--resolution", "16",
                                  "--out", demos]).status == 0)
        #expect(try CLITests.run(["policy", "sft", "--data", demos, "--config", "\(dir)/sft.json", "--out", sft]).status == 0)
        // The camera replays a recorded expert video (a live source would be /dev/videoN or a stream URL).
        #expect(try CLITests.run(["sim", "show", "--task", "place-cube", "--resolution", "16", "--out", camera]).status == 0)

        let (sim, _, ports) = try RobotCLITests.startSim()
        defer { if sim.isRunning { sim.terminate() }; sim.waitUntilExit() }
        let rtde = try #require(ports["rtde"]), dashboard = try #require(ports["dashboard"])
        let script = try #require(ports["script"]?.split(separator: ",").last.map(String.init))
        let (status, output) = try CLITests.run([
            "deploy", "--policy", sft, "--task", "place-cube", "--camera", camera, "--resolution", "16",
            "--max-actions", "8", "--record", record,
            // An untrained policy commands large, jittery actions; small per-action limits keep the test about the
            // path, not about the envelope (which the robot tests cover).
            "--max-action-translation", "0.003", "--max-action-rotation", "0.02",
            "--host", "127.0.0.1", "--rtde-port", rtde, "--dashboard-port", dashboard, "--script-port", script,
        ])
        #expect(status == 0, "\(output)")
        #expect(output.contains("episode 1: 8 actions executed"), "\(output)")
        #expect(FileManager.default.fileExists(atPath: record))
    }

    @Test func deployRefusesBadInputWithAMessage() throws {
        let (status, output) = try CLITests.run(["deploy", "--policy", "/nonexistent.sqlite", "--task", "x", "--camera", "/dev/video9",
                                                 "--host", "127.0.0.1", "--episodes", "0"])
        #expect(status != 0 && output.contains("--episodes: expected ≥ 1"), "\(output)")
    }
}
