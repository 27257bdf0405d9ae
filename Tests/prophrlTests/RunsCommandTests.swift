import Foundation
import Testing

/// Runs `prophrl runs ...` end to end on a run file made by the hidden crash-writer.
@Suite("prophrl runs")
struct RunsCommandTests {
    final class Scratch {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("prophrl-runs-\(UUID().uuidString)")
        init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
        func path(_ name: String) -> String { url.appendingPathComponent(name).path }
        deinit { try? FileManager.default.removeItem(at: url) }
    }

    static func makeRun(_ scratch: Scratch, saves: Int = 5) throws -> String {
        let path = scratch.path("toy.sqlite")
        let (status, output) = try CLITests.run(["runs", "crash-writer", "--db", path, "--megabytes", "1", "--saves", String(saves)])
        #expect(status == 0, "\(output)")
        return path
    }

    @Test("list, show: a table row per run and the run's checkpoints and metrics")
    func listAndShow() throws {
        let scratch = try Scratch()
        let run = try Self.makeRun(scratch)
        try Data("not a database".utf8).write(to: URL(fileURLWithPath: scratch.path("junk.sqlite")))
        let (status, output) = try CLITests.run(["runs", "list", scratch.url.path])
        #expect(status == 0)
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("run") == true)
        // 5 saves, retention keeps last 3 + best 1: losses are 0.41 0.82 0.22 0.63 0.03, so steps 3..5.
        #expect(lines.contains { $0.hasPrefix("toy.sqlite") && $0.contains("crash-test") && $0.contains(" 3 ") && $0.contains("0.03") })
        #expect(lines.contains { $0.hasPrefix("junk.sqlite") && $0.contains("not a ProphRL checkpoint") })
        let (showStatus, show) = try CLITests.run(["runs", "show", run])
        #expect(showStatus == 0)
        #expect(show.contains("kind          crash-test"))
        #expect(show.contains("checkpoints (3)"))
        #expect(show.contains("loss    5"))
    }

    @Test("plot writes a PNG; export writes safetensors; import makes a new run")
    func plotExportImport() throws {
        let scratch = try Scratch()
        let run = try Self.makeRun(scratch)
        let png = scratch.path("loss.png")
        #expect(try CLITests.run(["runs", "plot", run, "--metric", "loss", "--out", png]).status == 0)
        let header = try [UInt8](Data(contentsOf: URL(fileURLWithPath: png)).prefix(8))
        #expect(header == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let weights = scratch.path("w.safetensors")
        #expect(try CLITests.run(["runs", "export", run, "--step", "4", "--out", weights]).status == 0)
        let size = try FileManager.default.attributesOfItem(atPath: weights)[.size] as? Int ?? 0
        #expect(size > 1 << 20 && size < (1 << 20) + 4096)
        let imported = scratch.path("imported.sqlite")
        let (status, output) = try CLITests.run(["runs", "import", weights, "--out", imported])
        #expect(status == 0, "\(output)")
        #expect(output.contains("imported 4 base weight tensors"))
        #expect(try CLITests.run(["runs", "show", imported]).output.contains("import-base"))
    }

    @Test("Bad input fails with a message naming the file, not a crash")
    func errors() throws {
        let scratch = try Scratch()
        let run = try Self.makeRun(scratch)
        let missing = scratch.path("missing.sqlite")
        let (status, output) = try CLITests.run(["runs", "show", missing])
        #expect(status != 0 && output.contains(missing) && output.contains("no such file"))
        let (plotStatus, plot) = try CLITests.run(["runs", "plot", run, "--metric", "reward", "--out", scratch.path("r.png")])
        #expect(plotStatus != 0 && plot.contains("no values of metric reward"))
        let (exportStatus, export) = try CLITests.run(["runs", "export", run, "--step", "1", "--out", scratch.path("x.safetensors")])
        #expect(exportStatus != 0 && export.contains("no checkpoint at step 1"))
        let (importStatus, imported) = try CLITests.run(["runs", "import", run, "--out", scratch.path("y.sqlite")])
        #expect(importStatus != 0 && imported.contains("not a ProphRL checkpoint"))
    }

    @Test("runs list and runs show work while a trainer process is writing the same file")
    func readersDuringWrites() throws {
        let scratch = try Scratch()
        let run = scratch.path("live.sqlite")
        let writer = Process()
        writer.executableURL = CLITests.binary
        writer.arguments = ["runs", "crash-writer", "--db", run, "--megabytes", "4"]
        writer.standardOutput = FileHandle.nullDevice
        try writer.run()
        defer {
            // SIGKILL: the test runner's children may not react to SIGTERM (Process.terminate).
            if writer.isRunning { kill(writer.processIdentifier, SIGKILL) }
            writer.waitUntilExit()
        }
        // Wait for the first committed checkpoint, then read repeatedly while saves continue.
        // (On a loaded machine the writer may not even have created the file yet: keep waiting, up to 60 s.)
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let shown = try? CLITests.run(["runs", "show", run]), shown.status == 0,
               !shown.output.contains("checkpoints (0)") { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        var steps = Set<String>()
        for _ in 0..<10 {
            let (status, output) = try CLITests.run(["runs", "show", run])
            #expect(status == 0, "\(output)")
            if let line = output.split(separator: "\n").first(where: { $0.hasPrefix("loss ") }) { steps.insert(String(line)) }
            #expect(try CLITests.run(["runs", "list", scratch.url.path]).status == 0)
        }
        #expect(writer.isRunning)
        #expect(steps.count > 1, "the reader saw no progress while the writer ran")
    }
}
