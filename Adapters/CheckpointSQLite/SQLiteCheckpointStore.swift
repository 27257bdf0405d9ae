import CSQLite
import Glibc
import ProphRLCore
import Synchronization

/// A ``CheckpointStore`` over one SQLite file per run (Debian's libsqlite3 through `CSQLite`).
///
/// WAL journal, `synchronous = FULL`, one `BEGIN IMMEDIATE` transaction per checkpoint: a save is
/// either entirely visible and durable or not there at all, readers in other processes keep
/// reading their snapshot while a trainer writes, and a `kill -9` mid-save leaves the previous
/// checkpoints intact. The file can be inspected with the `sqlite3` shell.
///
/// ```swift
/// let store = try SQLiteCheckpointStore(path: "runs/grpo-7.sqlite")
/// if (try? store.runRecord()) == nil { try store.createRun(run) }
/// try store.save(checkpoint, retention: try RetentionPolicy(keepLast: 3))
/// let resumed = try store.latest()
/// ```
public final class SQLiteCheckpointStore: CheckpointStore {
    /// How a store opens its file.
    public enum OpenMode: Sendable {
        /// Create the file if missing, open it otherwise (a trainer).
        case openOrCreate
        /// The file must not exist yet.
        case create
        /// The file must exist; writable.
        case open
        /// The file must exist; no writes (inspection, export).
        case readOnly
    }

    /// When committed WAL frames are copied into the main database file.
    public enum WALCheckpointing: Sendable {
        /// On a background connection after each save (default): a save costs one write of the bytes.
        case background
        /// SQLite's automatic checkpoint inside the committing save (save costs two writes).
        case automatic
        /// Only on ``SQLiteCheckpointStore/checkpointWAL()``, ``SQLiteCheckpointStore/vacuum()`` and close.
        case manual
    }

    /// The schema version this build reads and writes.
    public static var schemaVersion: Int { SQLiteSchema.currentVersion }

    /// The database file.
    public let location: String
    private let connection: Mutex<SQLiteConnection>
    private let checkpointer: BackgroundCheckpointer?

    /// Opens (or creates) the run database at `path`, migrates it forward and checks it.
    /// - Parameters:
    ///   - busyTimeoutMilliseconds: how long to wait for another process's write lock.
    ///   - verify: run `PRAGMA quick_check` on open (reads every page; on by default).
    ///   - walCheckpointing: when the WAL is copied into the main file (writable modes only).
    /// - Throws: ``CheckpointError`` naming `path`: `notACheckpoint`, `newerSchema`,
    ///   `integrityCheckFailed`, or `io` when the file is missing (`open`, `readOnly`) or
    ///   present (`create`).
    public init(path: String, mode: OpenMode = .openOrCreate, busyTimeoutMilliseconds: Int32 = 10_000,
                verify: Bool = true, walCheckpointing: WALCheckpointing = .background) throws {
        location = path
        let exists = access(path, F_OK) == 0
        switch mode {
        case .create where exists: throw CheckpointError.io(file: path, detail: "file already exists")
        case .open where !exists, .readOnly where !exists: throw CheckpointError.io(file: path, detail: "no such file")
        default: break
        }
        let flags: Int32 = switch mode {
        case .readOnly: SQLITE_OPEN_READONLY
        case .open: SQLITE_OPEN_READWRITE
        case .create, .openOrCreate: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        }
        let db = try SQLiteConnection(path: path, flags: flags)
        sqlite3_busy_timeout(db.handle, busyTimeoutMilliseconds)
        try db.execute("PRAGMA foreign_keys = ON")
        try SQLiteSchema.prepare(db, writable: mode != .readOnly)
        if mode != .readOnly {
            // FULL: the WAL is fsynced at every commit, so a returned save survives power loss.
            try db.execute("PRAGMA synchronous = FULL")
            // Debian builds SQLite with SECURE_DELETE, which zero-fills every freed page: for a
            // pruned 100 MB checkpoint that is 100 MB of extra WAL writes. FAST zeroes deleted
            // content only where it costs no extra I/O; VACUUM removes the rest on demand.
            try db.execute("PRAGMA secure_delete = FAST")
            if walCheckpointing != .automatic { try db.execute("PRAGMA wal_autocheckpoint = 0") }
        }
        if verify { try SQLiteSchema.quickCheck(db) }
        connection = Mutex(db)
        checkpointer = mode != .readOnly && walCheckpointing == .background ? BackgroundCheckpointer(path: path) : nil
    }

    deinit {
        // Let a running background checkpoint finish before this connection closes (closing the
        // last connection checkpoints whatever is left and removes the WAL).
        checkpointer?.drain()
    }

    // MARK: - Run record

    /// Records the run's metadata; once per file.
    public func createRun(_ run: RunRecord) throws {
        try connection.withLock { db in
            try db.writeTransaction {
                if try db.scalarInt("SELECT count(*) FROM run") > 0 { throw CheckpointError.runExists(file: location) }
                let insert = try db.prepare("""
                    INSERT INTO run (id, kind, config_json, seed, code_revision, blas_threads, blas_kernel, created)
                    VALUES (1, ?, ?, ?, ?, ?, ?, ?)
                    """)
                try insert.bind(1, run.kind)
                try insert.bind(2, run.configJSON)
                try insert.bind(3, Int64(bitPattern: run.seed))
                try insert.bind(4, run.codeRevision)
                try insert.bind(5, Int64(run.blasThreads))
                try insert.bind(6, run.blasKernel)
                try insert.bind(7, run.created)
                try insert.run()
            }
        }
    }

    /// The run's metadata.
    public func runRecord() throws -> RunRecord {
        try connection.withLock { db in
            let query = try db.prepare("""
                SELECT kind, config_json, seed, code_revision, blas_threads, blas_kernel, created FROM run WHERE id = 1
                """)
            guard try query.step() else { throw CheckpointError.noRun(file: location) }
            do {
                return try RunRecord(kind: query.text(0), configJSON: query.text(1), seed: UInt64(bitPattern: query.int64(2)),
                                     codeRevision: query.text(3), blasThreads: Int(query.int64(4)),
                                     blasKernel: query.text(5), created: query.text(6))
            } catch let error as ValidationError {
                throw CheckpointError.integrityCheckFailed(file: location, detail: "run record: \(error)")
            }
        }
    }

    // MARK: - Saving

    /// Saves `checkpoint` and applies `retention` in one transaction: the pruning happens after the insert
    /// succeeded, and a crash leaves either the previous state or the new checkpoint already pruned.
    public func save(_ checkpoint: Checkpoint, retention: RetentionPolicy?) throws {
        // Checksums are computed before taking the write lock, to keep the lock short.
        let parameterSums = checkpoint.tensors.map { XXHash64.hash($0.bytes) }
        let optimizerSums = checkpoint.optimizerState.map { XXHash64.hash($0.bytes) }
        try connection.withLock { db in
            try db.writeTransaction {
                if try db.scalarInt("SELECT count(*) FROM run") == 0 { throw CheckpointError.noRun(file: location) }
                let exists = try db.prepare("SELECT 1 FROM checkpoints WHERE step = ?")
                try exists.bind(1, Int64(checkpoint.step))
                if try exists.step() { throw CheckpointError.stepExists(file: location, step: checkpoint.step) }
                let row = try db.prepare("INSERT INTO checkpoints (step, wall_time, metrics_json, tags_json) VALUES (?, ?, ?, ?)")
                try row.bind(1, Int64(checkpoint.step))
                try row.bind(2, checkpoint.wallTime)
                try row.bind(3, JSONValue.object(checkpoint.metrics.sorted { $0.key < $1.key }.map { ($0.key, .number($0.value)) }).serialized())
                try row.bind(4, JSONValue.array(checkpoint.tags.map(JSONValue.string)).serialized())
                try row.run()
                try insertTensors(checkpoint.tensors, checksums: parameterSums, table: "tensors", step: checkpoint.step, db: db)
                try insertTensors(checkpoint.optimizerState, checksums: optimizerSums, table: "optimizer_state",
                                  step: checkpoint.step, db: db)
                let rng = try db.prepare("INSERT INTO rng_states (step, stream, words) VALUES (?, ?, ?)")
                for (stream, words) in checkpoint.rngStates.sorted(by: { $0.key < $1.key }) {
                    try rng.bind(1, Int64(checkpoint.step))
                    try rng.bind(2, stream)
                    try rng.bind(3, words.map(SQLiteCheckpointStore.hexWord).joined(separator: " "))
                    try rng.run()
                }
                if let retention { _ = try prune(retention, db: db) }
            }
        }
        checkpointer?.request()
    }

    private func insertTensors(_ tensors: [NamedTensor], checksums: [UInt64], table: String, step: Int,
                               db: SQLiteConnection) throws {
        let insert = try db.prepare("""
            INSERT INTO \(table) (step, name, dtype, shape_json, nbytes, checksum, data) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        for (tensor, checksum) in zip(tensors, checksums) {
            try insert.bind(1, Int64(step))
            try insert.bind(2, tensor.name)
            try insert.bind(3, tensor.dtype.rawValue)
            try insert.bind(4, JSONValue.array(tensor.shape.map { .integer(Int64($0)) }).serialized())
            try insert.bind(5, Int64(tensor.bytes.count))
            try insert.bind(6, Int64(bitPattern: checksum))
            try insert.stepBindingBlob(7, tensor.bytes)
        }
    }

    // MARK: - Loading

    /// The checkpoint at `step`, checksums verified.
    public func load(step: Int) throws -> Checkpoint {
        try connection.withLock { db in try db.readTransaction { try read(step: step, db: db) } }
    }

    /// The checkpoint with the highest step.
    public func latest() throws -> Checkpoint? {
        try connection.withLock { db in
            try db.readTransaction {
                let query = try db.prepare("SELECT step FROM checkpoints ORDER BY step DESC LIMIT 1")
                guard try query.step() else { return nil }
                return try read(step: Int(query.int64(0)), db: db)
            }
        }
    }

    /// The checkpoint with the best `metric`.
    public func best(metric: String, mode: RetentionPolicy.Mode) throws -> Checkpoint? {
        guard let summary = RetentionPolicy.best(of: try list(), metric: metric, mode: mode) else { return nil }
        return try load(step: summary.step)
    }

    /// Only the tensors called `names` (parameters first, then optimizer state) of checkpoint `step`.
    /// - Throws: ``CheckpointError/missingTensor(file:step:name:)`` for a name that is absent.
    public func loadTensors(step: Int, names: [String]) throws -> [NamedTensor] {
        try connection.withLock { db in
            try db.readTransaction {
                try requireStep(step, db: db)
                return try names.map { name in
                    for table in ["tensors", "optimizer_state"] {
                        if let found = try readTensors(table: table, step: step, name: name, db: db).first { return found }
                    }
                    throw CheckpointError.missingTensor(file: location, step: step, name: name)
                }
            }
        }
    }

    private func requireStep(_ step: Int, db: SQLiteConnection) throws {
        let query = try db.prepare("SELECT 1 FROM checkpoints WHERE step = ?")
        try query.bind(1, Int64(step))
        if try !query.step() { throw CheckpointError.noSuchStep(file: location, step: step) }
    }

    // MARK: - Listing and metrics

    /// All checkpoint summaries, ascending by step (no tensor bytes are read).
    public func list() throws -> [CheckpointSummary] {
        try connection.withLock { db in
            try db.readTransaction {
                let query = try db.prepare("""
                    SELECT c.step, c.wall_time, c.metrics_json, c.tags_json,
                           (SELECT coalesce(sum(nbytes), 0) FROM tensors t WHERE t.step = c.step)
                         + (SELECT coalesce(sum(nbytes), 0) FROM optimizer_state o WHERE o.step = c.step)
                    FROM checkpoints c ORDER BY c.step
                    """)
                var summaries: [CheckpointSummary] = []
                while try query.step() {
                    summaries.append(CheckpointSummary(step: Int(query.int64(0)), wallTime: query.double(1),
                                                       metrics: try decodeMetrics(query.text(2)),
                                                       tags: try decodeTags(query.text(3)), byteCount: Int(query.int64(4))))
                }
                return summaries
            }
        }
    }

    /// Logs metrics for `step` in one transaction.
    public func logMetrics(step: Int, _ values: [String: Double]) throws {
        try validateMetrics(step: step, values)
        try connection.withLock { db in
            try db.writeTransaction {
                let insert = try db.prepare("INSERT OR REPLACE INTO metrics (name, step, value) VALUES (?, ?, ?)")
                for (name, value) in values.sorted(by: { $0.key < $1.key }) {
                    try insert.bind(1, name)
                    try insert.bind(2, Int64(step))
                    try insert.bind(3, value)
                    try insert.run()
                }
            }
        }
    }

    /// The series of `metric`, ascending by step.
    public func metricSeries(_ metric: String) throws -> [MetricSample] {
        try connection.withLock { db in
            let query = try db.prepare("SELECT step, value FROM metrics WHERE name = ? ORDER BY step")
            try query.bind(1, metric)
            var samples: [MetricSample] = []
            while try query.step() { samples.append(MetricSample(step: Int(query.int64(0)), value: query.double(1))) }
            return samples
        }
    }

    /// The names of all logged metrics.
    public func metricNames() throws -> [String] {
        try connection.withLock { db in try db.textColumn("SELECT DISTINCT name FROM metrics ORDER BY name") }
    }

    // MARK: - Maintenance

    /// Deletes the checkpoints `policy` does not keep (one transaction; tensors cascade).
    @discardableResult
    public func applyRetention(_ policy: RetentionPolicy) throws -> [Int] {
        try connection.withLock { db in
            try db.writeTransaction { try prune(policy, db: db) }
        }
    }

    /// Deletes what `policy` does not keep; called inside a write transaction, so the decision and the
    /// deletion see the same checkpoints.
    private func prune(_ policy: RetentionPolicy, db: SQLiteConnection) throws -> [Int] {
        let steps = try db.prepare("SELECT step, metrics_json FROM checkpoints")
        var summaries: [CheckpointSummary] = []
        while try steps.step() {
            summaries.append(CheckpointSummary(step: Int(steps.int64(0)), wallTime: 0,
                                               metrics: try decodeMetrics(steps.text(1)), tags: [], byteCount: 0))
        }
        let doomed = policy.stepsToDelete(from: summaries)
        let delete = try db.prepare("DELETE FROM checkpoints WHERE step = ?")
        for step in doomed {
            try delete.bind(1, Int64(step))
            try delete.run()
        }
        return doomed
    }

    /// Copies committed WAL frames into the main file and truncates the WAL (`wal_checkpoint(TRUNCATE)`).
    /// Saves trigger this in the background (or inline) unless the store uses ``WALCheckpointing/manual``.
    public func checkpointWAL() throws {
        checkpointer?.drain()
        try connection.withLock { db in try db.execute("PRAGMA wal_checkpoint(TRUNCATE)") }
    }

    /// Rebuilds the file without free pages (`VACUUM`), then truncates the WAL.
    public func vacuum() throws {
        checkpointer?.drain()
        try connection.withLock { db in
            try db.execute("VACUUM")
            try db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        }
    }

    /// Runs `PRAGMA quick_check` now.
    /// - Throws: ``CheckpointError/integrityCheckFailed(file:detail:)``.
    public func quickCheck() throws {
        try connection.withLock { db in try SQLiteSchema.quickCheck(db) }
    }

    /// The database size in bytes (main file plus WAL), from SQLite's page counts.
    public func fileSize() throws -> Int {
        try connection.withLock { db in
            Int(try db.scalarInt("PRAGMA page_count") * db.scalarInt("PRAGMA page_size"))
        }
    }
}
