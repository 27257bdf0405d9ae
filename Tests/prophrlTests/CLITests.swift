import Foundation
import Testing

/// Runs the built `prophrl` binary as a user would and checks what it prints and returns.
@Suite("prophrl command line")
struct CLITests {
    /// The `prophrl` executable next to this test bundle in the build folder.
    static var binary: URL {
        var dir = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("prophrl")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/prophrl")
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test("--help lists the subcommands")
    func help() throws {
        let (status, output) = try Self.run(["--help"])
        #expect(status == 0)
        #expect(output.contains("selfcheck"))
    }

    @Test("An unknown subcommand fails with a message, not a crash")
    func unknownSubcommand() throws {
        let (status, output) = try Self.run(["no-such-command"])
        #expect(status != 0)
        #expect(output.lowercased().contains("error"))
    }
}

@Suite("prophrl selfcheck and schedule")
struct CoreCommandTests {
    @Test("selfcheck recomputes every published vector and passes")
    func selfcheck() throws {
        let (status, output) = try CLITests.run(["selfcheck"])
        #expect(status == 0)
        #expect(output.contains("self-check passed"))
        #expect(output.contains("T5 FlowScale A1, A2, B"))
        #expect(output.contains("OpenBLAS kernel"))
        #expect(!output.contains("FAIL"))
    }

    @Test("selfcheck fails loudly when the tolerance cannot be met")
    func selfcheckCanFail() throws {
        // Published values have 10 significant digits; 1e-15 relative is beyond them, so some checks must fail.
        let (status, output) = try CLITests.run(["selfcheck", "--tolerance", "1e-15"])
        #expect(status != 0)
        #expect(output.contains("FAIL"))
    }

    @Test("schedule prints the default grid's stds and FlowScale weights (T2, T3)")
    func schedule() throws {
        let (status, output) = try CLITests.run(["schedule"])
        #expect(status == 0)
        #expect(output.contains("0.4330127"))
        #expect(output.contains("1.4599964"))
    }

    @Test("schedule rejects K = 0 with a typed message, not a crash")
    func scheduleRejectsBadInput() throws {
        let (status, output) = try CLITests.run(["schedule", "--steps", "0"])
        #expect(status != 0)
        #expect(output.contains("steps: expected >= 1"))
    }
}
