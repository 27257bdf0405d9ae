import ArgumentParser
import Foundation
import ProphRL
import TensorEngine

/// `prophrl selfcheck`: runs the core's math against the spec's published test vectors.
struct SelfCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "selfcheck",
        abstract: "Check the RL math of the core against the published test vectors (no GPU, no data)."
    )

    @Option(help: "Relative tolerance of each comparison.")
    var tolerance: Double = 1e-8

    func run() throws {
        let report = try CoreSelfCheck.run(tolerance: tolerance)
        print("prophrl \(ProphRLInfo.version) self-check: rl-math.md test vectors T1–T6, relative tolerance \(tolerance)")
        for check in report.checks {
            let values = check.actual.map { String(format6: $0) }.joined(separator: ", ")
            print("  \(check.passed ? "ok  " : "FAIL") \(check.name.padding(toLength: 26, withPad: " ", startingAt: 0)) [\(values)]")
            if !check.passed {
                print("       expected [\(check.expected.map { String(format6: $0) }.joined(separator: ", "))]")
            }
        }
        print("OpenBLAS kernel \(BLASRuntime.coreName), \(BLASRuntime.threads) thread(s)"
              + (BLASRuntime.cpuHasAVX512 ? ", CPU has AVX-512" : ""))
        let failed = report.failures.count
        print(failed == 0 ? "self-check passed: \(report.checks.count) checks" : "self-check FAILED: \(failed) of \(report.checks.count) checks")
        if failed > 0 { throw ExitCode.failure }
    }
}

extension String {
    /// A Double with 10 significant digits, without Foundation's formatters.
    init(format6 value: Double) {
        let scale = 1e10
        self = "\((value * scale).rounded() / scale)"
    }
}
