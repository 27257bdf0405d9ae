import Foundation
import Testing

@Suite("prophrl sim")
struct SimCLITests {
    static func temporaryDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("prophrl-sim-cli-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.path
    }

    @Test func collectThenReplayIsExact() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = "\(dir)/demos.hdf5"
        let (status, output) = try CLITests.run(["sim", "collect", "--task", "place-cube", "--episodes", "2", "--seed", "40",
                                                 "--resolution", "32", "--out", file])
        #expect(status == 0, "\(output)")
        #expect(output.contains("2/2 place-cube-41"))
        #expect(output.contains("wrote 2 episodes"))
        let replay = try CLITests.run(["sim", "replay", file, "--episode", "1"])
        #expect(replay.status == 0, "\(replay.output)")
        #expect(replay.output.contains("max TCP position error 0.0 m, rotation-matrix error 0.0"))
    }

    @Test func badInputFailsWithAMessage() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let unknown = try CLITests.run(["sim", "collect", "--task", "juggle", "--out", "\(dir)/x.hdf5"])
        #expect(unknown.status != 0 && unknown.output.contains("unknown task 'juggle'"))
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: "\(dir)/bad.hdf5"))
        let corrupt = try CLITests.run(["sim", "replay", "\(dir)/bad.hdf5"])
        #expect(corrupt.status != 0 && corrupt.output.contains("not an HDF5 file"))
        let resolution = try CLITests.run(["sim", "show", "--task", "place-cube", "--resolution", "0", "--out", dir])
        #expect(resolution.status != 0 && resolution.output.contains("--resolution"))
    }

    @Test func showWritesFrames() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (status, output) = try CLITests.run(["sim", "show", "--task", "pull-tissue", "--seed", "3", "--resolution", "32",
                                                 "--out", dir])
        #expect(status == 0, "\(output)")
        #expect(FileManager.default.fileExists(atPath: "\(dir)/frame_0000.png"))
        #expect(output.contains("pull-tissue-3: success"))
    }

    @Test func showWritesAVideoThatTheVideoReaderReadsBack() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let video = "\(dir)/expert.mkv"
        let (status, output) = try CLITests.run(["sim", "show", "--task", "place-cube", "--seed", "2", "--resolution", "32",
                                                 "--out", video])
        #expect(status == 0, "\(output)")
        // Read back through FFmpeg by the flow evaluation: a video against itself has zero flow error.
        let (evalStatus, evaluation) = try CLITests.run(["eval-flow", "--reference", video, "--generated", video])
        #expect(evalStatus == 0, "\(evaluation)")
        #expect(evaluation.contains("EPE         0.0000"))
    }
}
