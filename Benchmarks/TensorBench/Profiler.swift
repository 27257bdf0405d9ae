import Foundation
import TensorEngine

/// `--profile`: wall-clock time per primitive of the dit-step phases (OpProfile), per iteration.
enum Profiler {
    /// Runs `body` `repeats` times after one warm-up with the op profile on and prints the table.
    /// `clock`: wall time, or the main thread's CPU time (`--profile-cpu`, for one-thread runs on a
    /// loaded machine).
    nonisolated(unsafe) static var clock = OpProfile.Clock.wall

    static func profile(_ title: String, repeats: Int, _ body: () throws -> Void) rethrows {
        try body()
        OpProfile.start(clock: clock)
        var total: UInt64 = 0
        for _ in 0..<repeats {
            OpProfile.restartClock()
            let start = OpProfile.now()
            try body()
            total += OpProfile.now() - start
        }
        let entries = OpProfile.stop()
        let perIteration = Double(total) / 1e6 / Double(repeats)
        let attributed = entries.reduce(0) { $0 + $1.seconds } * 1e3 / Double(repeats)
        print("\(title): \(String(format: "%.2f", perIteration)) ms per iteration (\(String(format: "%.2f", attributed)) ms attributed to ops; clock \(clock))")
        print("  " + "op".padding(toLength: 34, withPad: " ", startingAt: 0) + "  calls      ms      %")
        for e in entries where e.seconds * 1e3 / Double(repeats) >= 0.05 {
            let ms = e.seconds * 1e3 / Double(repeats)
            print("  " + e.op.padding(toLength: 34, withPad: " ", startingAt: 0)
                  + String(format: " %6d %7.2f %6.1f", e.calls / repeats, ms, 100 * ms / perIteration))
        }
    }
}
