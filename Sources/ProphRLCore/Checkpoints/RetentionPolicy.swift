/// Which checkpoints survive pruning: the newest `keepLast`, plus the best `keepBest` by a metric.
///
/// ```swift
/// let policy = try RetentionPolicy(keepLast: 3, keepBest: 1, metric: "loss", mode: .minimize)
/// let doomed = policy.stepsToDelete(from: try store.list())
/// ```
public struct RetentionPolicy: Sendable, Equatable {
    /// Whether a smaller or a larger metric value is better.
    public enum Mode: String, Sendable, Equatable, CaseIterable {
        /// Smaller is better (losses).
        case minimize
        /// Larger is better (success rates, returns).
        case maximize
    }

    /// How many of the newest checkpoints to keep.
    public let keepLast: Int
    /// How many of the best checkpoints by `metric` to keep in addition.
    public let keepBest: Int
    /// The metric ranking the best checkpoints (unused when `keepBest == 0`).
    public let metric: String
    /// The direction of "best".
    public let mode: Mode

    /// Creates a policy.
    /// - Throws: ``ValidationError`` if a count is negative, both are zero (which would delete
    ///   everything), or `keepBest > 0` with an empty metric name.
    public init(keepLast: Int, keepBest: Int = 0, metric: String = "", mode: Mode = .minimize) throws {
        if keepLast < 0 { throw ValidationError.outOfRange(argument: "keepLast", expected: ">= 0", actual: Double(keepLast)) }
        if keepBest < 0 { throw ValidationError.outOfRange(argument: "keepBest", expected: ">= 0", actual: Double(keepBest)) }
        if keepLast == 0 && keepBest == 0 {
            throw ValidationError.invalid(argument: "keepLast", reason: "keepLast and keepBest are both 0; that would delete every checkpoint")
        }
        if keepBest > 0 && metric.isEmpty { throw ValidationError.empty(argument: "metric") }
        self.keepLast = keepLast
        self.keepBest = keepBest
        self.metric = metric
        self.mode = mode
    }

    /// The steps this policy deletes from `checkpoints` (ascending). Checkpoints lacking the metric
    /// never count as best; ties in the metric go to the earlier step.
    public func stepsToDelete(from checkpoints: [CheckpointSummary]) -> [Int] {
        let kept = stepsToKeep(from: checkpoints)
        return checkpoints.map(\.step).filter { !kept.contains($0) }.sorted()
    }

    /// The steps this policy keeps from `checkpoints`.
    public func stepsToKeep(from checkpoints: [CheckpointSummary]) -> Set<Int> {
        var kept = Set(checkpoints.map(\.step).sorted(by: >).prefix(keepLast))
        if keepBest > 0 {
            let ranked = checkpoints.compactMap { summary in summary.metrics[metric].map { (summary.step, $0) } }
                .sorted { lhs, rhs in
                    if lhs.1 != rhs.1 { return mode == .minimize ? lhs.1 < rhs.1 : lhs.1 > rhs.1 }
                    return lhs.0 < rhs.0
                }
            kept.formUnion(ranked.prefix(keepBest).map(\.0))
        }
        return kept
    }

    /// The best summary by `metric` in `mode`, or `nil` when none has the metric (ties: earlier step).
    public static func best(of checkpoints: [CheckpointSummary], metric: String, mode: Mode) -> CheckpointSummary? {
        checkpoints.filter { $0.metrics[metric] != nil }.min { lhs, rhs in
            let (a, b) = (lhs.metrics[metric] ?? 0, rhs.metrics[metric] ?? 0)
            if a != b { return mode == .minimize ? a < b : a > b }
            return lhs.step < rhs.step
        }
    }
}
