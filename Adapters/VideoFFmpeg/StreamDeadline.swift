import Glibc
import Synchronization

/// The state behind FFmpeg's interrupt callback: a monotonic deadline for the current blocking call and a
/// stop flag. FFmpeg polls the callback inside every blocking open/read, so an expired deadline or a stop
/// request makes that call return `AVERROR_EXIT` instead of hanging on a silent peer.
final class StreamDeadline: Sendable {
    private let deadlineNanoseconds = Atomic<Int64>(0)
    private let stopRequested = Atomic<Bool>(false)

    /// Nanoseconds on the monotonic clock.
    static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }

    /// Starts a budget of `seconds` for the next blocking call.
    func arm(seconds: Double) {
        deadlineNanoseconds.store(Self.now() + Int64(seconds * 1e9), ordering: .relaxed)
    }

    /// Asks the blocked call (and the reader) to give up.
    func stop() { stopRequested.store(true, ordering: .relaxed) }

    /// Whether ``stop()`` was called.
    var isStopped: Bool { stopRequested.load(ordering: .relaxed) }

    /// Whether the armed budget is spent.
    var hasExpired: Bool {
        let deadline = deadlineNanoseconds.load(ordering: .relaxed)
        return deadline != 0 && Self.now() >= deadline
    }

    /// What the interrupt callback answers: give up when stopped or out of time.
    var shouldInterrupt: Bool { isStopped || hasExpired }
}
