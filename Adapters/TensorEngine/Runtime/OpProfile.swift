import Foundation

/// Wall-clock time per primitive, for finding where a workload's time goes (`TensorBench --profile`).
///
/// Every op builds its result through `Tensor.make` right after computing it, so the time since the
/// previous mark belongs to that op; the backward pass marks each node after its closure and the
/// gradient accumulation. Off by default: a disabled check costs one load per op. Not thread-safe:
/// profile a workload driven from one thread (as the engine is meant to be).
public enum OpProfile {
    /// One row of the profile.
    public struct Entry: Sendable {
        /// The op (`linear`, `backward:attention`, …).
        public let op: String
        /// Number of calls.
        public let calls: Int
        /// Total wall-clock seconds.
        public let seconds: Double
    }

    /// What the profile measures.
    public enum Clock: Sendable {
        /// Wall-clock time (what a parallel run's speed-up shows).
        case wall
        /// The calling thread's CPU time (fair for one-thread runs on a loaded machine; excludes the
        /// work of pool workers).
        case threadCPU
    }

    nonisolated(unsafe) static var isEnabled = false
    nonisolated(unsafe) private static var clock = Clock.wall
    nonisolated(unsafe) private static var last: UInt64 = 0
    nonisolated(unsafe) private static var table: [String: (calls: Int, nanoseconds: UInt64)] = [:]

    /// Clears the table and starts recording with `clock`.
    public static func start(clock: Clock = .wall) {
        table = [:]
        self.clock = clock
        isEnabled = true
        last = now()
    }

    /// Restarts the clock without attributing the elapsed time (call before each measured region).
    public static func restartClock() { last = now() }

    /// Nanoseconds on the selected clock.
    public static func now() -> UInt64 {
        switch clock {
        case .wall: return DispatchTime.now().uptimeNanoseconds
        case .threadCPU:
            var spec = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
            return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
        }
    }

    /// Attributes the time since the previous mark to `op` (ops call it; a caller can mark its own
    /// regions, e.g. an optimizer step).
    public static func mark(_ op: @autoclosure () -> String) {
        guard isEnabled else { return }
        let time = now()
        let name = op()
        let previous = table[name] ?? (0, 0)
        table[name] = (previous.calls + 1, previous.nanoseconds + (time - last))
        last = now()
    }

    /// Stops recording and returns the rows, slowest first.
    public static func stop() -> [Entry] {
        isEnabled = false
        return table.map { Entry(op: $0.key, calls: $0.value.calls, seconds: Double($0.value.nanoseconds) / 1e9) }
            .sorted { $0.seconds > $1.seconds }
    }
}
