import Foundation
import Testing
@testable import TensorEngine

/// End to end: the TensorBench executable (built with the tests) re-executes itself with the preferred
/// OpenBLAS kernel, and the override keeps the environment's choice.
@Suite struct KernelRelaunchTests {
    static let executable = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/debug/TensorBench").path

    /// The first output line of `TensorBench --workload none` under the given extra environment.
    static func configLine(_ extra: [String: String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--workload", "none", "--threads", "1"]
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_CORETYPE"] = "Haswell"
        environment["PROPHRL_BLAS_CORETYPE"] = nil
        environment["PROPHRL_BLAS_RELAUNCHED"] = nil
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0)
        return text.split(separator: "\n").first.map(String.init) ?? ""
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable), "needs `swift build` to have built TensorBench"))
    func relaunchPicksTheFastestKernelUnlessOverridden() throws {
        let automatic = try Self.configLine([:])
        #expect(automatic.contains(BLASRuntime.cpuHasAVX512 ? "core=SkylakeX" : "core=Haswell"), "\(automatic)")
        let inherited = try Self.configLine(["PROPHRL_BLAS_CORETYPE": "inherit"])
        #expect(inherited.contains("core=Haswell"), "\(inherited)")
        let forced = try Self.configLine(["PROPHRL_BLAS_CORETYPE": "Sandybridge"])
        #expect(forced.contains("core=Sandybridge"), "\(forced)")
    }
}
