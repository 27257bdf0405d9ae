import ProphRLCore
import Synchronization

/// A ``CheckpointStore`` kept in memory, for tests of code that saves and resumes.
///
/// It follows the same contract as the SQLite adapter (the shared contract suite runs against
/// both), but holds nothing across processes.
///
/// ```swift
/// let store = InMemoryCheckpointStore()
/// try store.createRun(run)
/// try store.save(checkpoint)
/// ```
public final class InMemoryCheckpointStore: CheckpointStore {
    private struct State {
        var run: RunRecord?
        var checkpoints: [Int: Checkpoint] = [:]
        var metrics: [String: [Int: Double]] = [:]
    }

    private let state = Mutex(State())

    /// A label used in errors.
    public let location: String

    /// Creates an empty store.
    public init(label: String = "<memory>") { location = label }

    /// Records the run's metadata; once.
    public func createRun(_ run: RunRecord) throws {
        try state.withLock { state in
            if state.run != nil { throw CheckpointError.runExists(file: location) }
            state.run = run
        }
    }

    /// The run's metadata.
    public func runRecord() throws -> RunRecord {
        guard let run = state.withLock({ $0.run }) else { throw CheckpointError.noRun(file: location) }
        return run
    }

    /// Stores the checkpoint, then applies `retention`.
    public func save(_ checkpoint: Checkpoint, retention: RetentionPolicy?) throws {
        try state.withLock { state in
            if state.run == nil { throw CheckpointError.noRun(file: location) }
            if state.checkpoints[checkpoint.step] != nil {
                throw CheckpointError.stepExists(file: location, step: checkpoint.step)
            }
            state.checkpoints[checkpoint.step] = checkpoint
        }
        if let retention { try applyRetention(retention) }
    }

    /// The checkpoint at `step`.
    public func load(step: Int) throws -> Checkpoint {
        guard let checkpoint = state.withLock({ $0.checkpoints[step] }) else {
            throw CheckpointError.noSuchStep(file: location, step: step)
        }
        return checkpoint
    }

    /// The checkpoint with the highest step.
    public func latest() throws -> Checkpoint? {
        state.withLock { state in state.checkpoints.keys.max().flatMap { state.checkpoints[$0] } }
    }

    /// The checkpoint with the best `metric`.
    public func best(metric: String, mode: RetentionPolicy.Mode) throws -> Checkpoint? {
        guard let summary = RetentionPolicy.best(of: try list(), metric: metric, mode: mode) else { return nil }
        return try load(step: summary.step)
    }

    /// All checkpoint summaries, ascending by step.
    public func list() throws -> [CheckpointSummary] {
        state.withLock { state in state.checkpoints.values.sorted { $0.step < $1.step }.map(CheckpointSummary.init) }
    }

    /// Logs metrics for `step`.
    public func logMetrics(step: Int, _ values: [String: Double]) throws {
        try validateMetrics(step: step, values)
        state.withLock { state in
            for (name, value) in values { state.metrics[name, default: [:]][step] = value }
        }
    }

    /// The series of `metric`, ascending by step.
    public func metricSeries(_ metric: String) throws -> [MetricSample] {
        state.withLock { state in
            (state.metrics[metric] ?? [:]).sorted { $0.key < $1.key }.map { MetricSample(step: $0.key, value: $0.value) }
        }
    }

    /// The names of all logged metrics.
    public func metricNames() throws -> [String] {
        state.withLock { $0.metrics.keys.sorted() }
    }

    /// Deletes the checkpoints `policy` does not keep.
    @discardableResult
    public func applyRetention(_ policy: RetentionPolicy) throws -> [Int] {
        let doomed = policy.stepsToDelete(from: try list())
        state.withLock { state in for step in doomed { state.checkpoints[step] = nil } }
        return doomed
    }

    /// Nothing to compact in memory.
    public func vacuum() throws {}
}
