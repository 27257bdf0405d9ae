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
