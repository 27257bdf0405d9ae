/// The port through which training saves and resumes: one store holds one run's record,
/// checkpoints (parameters, optimizer state, RNG states) and per-step metrics.
///
/// Saves are atomic: after `save` returns the checkpoint is durable, and a crash during `save`
/// leaves every earlier checkpoint intact and readable. Loads verify each tensor's checksum.
///
/// ```swift
/// func train(store: some CheckpointStore, run: RunRecord) throws {
///     if (try? store.runRecord()) == nil { try store.createRun(run) }
///     var state = try store.latest().map(TrainerState.init) ?? TrainerState(seed: run.seed)
///     while state.step < 1000 {
///         state.advance()
///         try store.logMetrics(step: state.step, ["loss": state.loss])
///         if state.step % 100 == 0 {
///             try store.save(state.checkpoint(), retention: try RetentionPolicy(keepLast: 3, keepBest: 1, metric: "loss"))
///         }
///     }
/// }
/// ```
public protocol CheckpointStore: Sendable {
    /// The name of the backing file (or a label for in-memory stores), used in errors.
    var location: String { get }

    /// Records the run's metadata; once per store.
    /// - Throws: ``CheckpointError/runExists(file:)`` if a run record is already there.
    func createRun(_ run: RunRecord) throws

    /// The run's metadata.
    /// - Throws: ``CheckpointError/noRun(file:)`` before ``createRun(_:)``.
    func runRecord() throws -> RunRecord

    /// Saves a checkpoint atomically, then applies `retention` (if any) to the stored checkpoints.
    /// - Throws: ``CheckpointError/stepExists(file:step:)`` if the step is already saved,
    ///   ``CheckpointError/noRun(file:)`` before ``createRun(_:)``, I/O errors.
    func save(_ checkpoint: Checkpoint, retention: RetentionPolicy?) throws

    /// The checkpoint at `step`, with checksums verified.
    /// - Throws: ``CheckpointError/noSuchStep(file:step:)``, ``CheckpointError/checksumMismatch(file:step:tensor:)``.
    func load(step: Int) throws -> Checkpoint

    /// The checkpoint with the highest step, or `nil` if there is none.
    func latest() throws -> Checkpoint?

    /// The checkpoint with the best value of `metric`, or `nil` if none records it (ties: earlier step).
    func best(metric: String, mode: RetentionPolicy.Mode) throws -> Checkpoint?

    /// Summaries of all checkpoints, ascending by step.
    func list() throws -> [CheckpointSummary]

    /// Appends scalar metrics for `step` to the metrics log (replacing values already logged for it).
    /// - Throws: ``ValidationError`` for a negative step, an empty name or a non-finite value.
    func logMetrics(step: Int, _ values: [String: Double]) throws

    /// The logged series of `metric`, ascending by step.
    func metricSeries(_ metric: String) throws -> [MetricSample]

    /// The names of all logged metrics, sorted.
    func metricNames() throws -> [String]

    /// Deletes the checkpoints `policy` does not keep; returns the deleted steps, ascending.
    @discardableResult
    func applyRetention(_ policy: RetentionPolicy) throws -> [Int]

    /// Compacts storage after deletions (SQLite `VACUUM`); a no-op where nothing can be reclaimed.
    func vacuum() throws
}

// MARK: - Default implementations

extension CheckpointStore {
    /// Saves a checkpoint atomically without pruning.
    public func save(_ checkpoint: Checkpoint) throws { try save(checkpoint, retention: nil) }

    /// Checks a metrics batch before it is logged (shared by every adapter).
    /// - Throws: ``ValidationError`` for a negative step, an empty name or a non-finite value.
    public func validateMetrics(step: Int, _ values: [String: Double]) throws {
        if step < 0 { throw ValidationError.outOfRange(argument: "step", expected: ">= 0", actual: Double(step)) }
        for (name, value) in values {
            if name.isEmpty { throw ValidationError.empty(argument: "metric name") }
            try Validate.finite(value, "metrics[\(name)]")
        }
    }
}
