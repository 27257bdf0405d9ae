import ProphRLCore

/// The checkpoint database schema: its identity, its version, and the forward migrations to it.
///
/// A database is a ProphRL run file when `PRAGMA application_id` is ``applicationID``.
/// `PRAGMA user_version` and the `schema_version` table both record the schema version; a file
/// with a newer version than ``currentVersion`` is refused rather than misread.
enum SQLiteSchema {
    /// `"PRL1"` in ASCII: marks the file as a ProphRL run database.
    static let applicationID: Int64 = 0x5052_4C31

    /// The schema version this build writes and reads.
    static var currentVersion: Int { migrations.count }

    /// Page size for new files: 64 KiB pages cut per-page overhead for multi-megabyte tensor blobs.
    static let pageSize = 65_536

    /// Migration `i` takes the schema from version `i` to `i + 1`. Append only; never edit one.
    static let migrations: [String] = [
        // 0 -> 1: the initial schema.
        """
        CREATE TABLE schema_version (
            version INTEGER PRIMARY KEY,
            applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        CREATE TABLE run (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            kind TEXT NOT NULL,
            config_json TEXT NOT NULL,
            seed INTEGER NOT NULL,            -- UInt64 stored as its Int64 bit pattern
            code_revision TEXT NOT NULL,
            blas_threads INTEGER NOT NULL,
            blas_kernel TEXT NOT NULL,
            created TEXT NOT NULL
        );
        CREATE TABLE checkpoints (
            step INTEGER PRIMARY KEY,
            wall_time REAL NOT NULL,
            metrics_json TEXT NOT NULL,
            tags_json TEXT NOT NULL
        );
        CREATE TABLE tensors (
            id INTEGER PRIMARY KEY,
            step INTEGER NOT NULL REFERENCES checkpoints(step) ON DELETE CASCADE,
            name TEXT NOT NULL,
            dtype TEXT NOT NULL,
            shape_json TEXT NOT NULL,
            nbytes INTEGER NOT NULL,
            checksum INTEGER NOT NULL,        -- XXH64 of data, as its Int64 bit pattern
            data BLOB NOT NULL,               -- last, so reading the other columns skips the blob
            UNIQUE (step, name)
        );
        CREATE TABLE optimizer_state (
            id INTEGER PRIMARY KEY,
            step INTEGER NOT NULL REFERENCES checkpoints(step) ON DELETE CASCADE,
            name TEXT NOT NULL,
            dtype TEXT NOT NULL,
            shape_json TEXT NOT NULL,
            nbytes INTEGER NOT NULL,
            checksum INTEGER NOT NULL,
            data BLOB NOT NULL,
            UNIQUE (step, name)
        );
        CREATE TABLE rng_states (
            step INTEGER NOT NULL REFERENCES checkpoints(step) ON DELETE CASCADE,
            stream TEXT NOT NULL,
            words TEXT NOT NULL,              -- the generator's 64-bit words, hex, space-separated
            PRIMARY KEY (step, stream)
        );
        CREATE TABLE metrics (
            name TEXT NOT NULL,
            step INTEGER NOT NULL,
            value REAL NOT NULL,
            PRIMARY KEY (name, step)
        ) WITHOUT ROWID;
        """,
    ]

    /// Brings a writable database to ``currentVersion``, or checks that a read-only one is there.
    /// - Throws: ``CheckpointError/notACheckpoint(file:detail:)`` for a foreign database,
    ///   ``CheckpointError/newerSchema(file:found:supported:)`` for a newer one.
    static func prepare(_ db: SQLiteConnection, writable: Bool) throws {
        // The first read of the file: a non-database fails here with SQLITE_NOTADB.
        let applicationID = try db.scalarInt("PRAGMA application_id")
        let version = Int(try db.scalarInt("PRAGMA user_version"))
        let objectCount = try db.scalarInt("SELECT count(*) FROM sqlite_schema")
        if applicationID == 0 && version == 0 && objectCount == 0 {
            guard writable else { throw CheckpointError.notACheckpoint(file: db.path, detail: "empty database") }
            try db.execute("PRAGMA page_size = \(pageSize)")
            // Incremental auto-vacuum keeps pointer-map pages, so deleting a checkpoint frees its
            // overflow chains without reading every page of them; freed pages are reused by the next save.
            try db.execute("PRAGMA auto_vacuum = INCREMENTAL")
            try db.execute("PRAGMA journal_mode = WAL")
        } else if applicationID != SQLiteSchema.applicationID {
            throw CheckpointError.notACheckpoint(
                file: db.path, detail: "SQLite database with application_id \(applicationID), expected \(SQLiteSchema.applicationID)")
        }
        if version > currentVersion {
            throw CheckpointError.newerSchema(file: db.path, found: version, supported: currentVersion)
        }
        if version < currentVersion {
            guard writable else {
                throw CheckpointError.integrityCheckFailed(
                    file: db.path, detail: "schema version \(version) needs migrating to \(currentVersion); open it writable once")
            }
            try db.writeTransaction {
                // Re-read inside the write lock: another process may have migrated meanwhile.
                let locked = Int(try db.scalarInt("PRAGMA user_version"))
                if locked > currentVersion {
                    throw CheckpointError.newerSchema(file: db.path, found: locked, supported: currentVersion)
                }
                for target in stride(from: locked + 1, through: currentVersion, by: 1) {
                    try db.execute(migrations[target - 1])
                    try db.execute("INSERT INTO schema_version (version) VALUES (\(target))")
                }
                try db.execute("PRAGMA application_id = \(SQLiteSchema.applicationID)")
                try db.execute("PRAGMA user_version = \(currentVersion)")
            }
        }
        let recorded = Int(try db.scalarInt("SELECT max(version) FROM schema_version"))
        if recorded != currentVersion {
            throw CheckpointError.integrityCheckFailed(
                file: db.path, detail: "schema_version table says \(recorded), user_version says \(currentVersion)")
        }
    }

    /// Runs `PRAGMA quick_check` (structure of every b-tree page, not content).
    /// - Throws: ``CheckpointError/integrityCheckFailed(file:detail:)`` with SQLite's first findings.
    static func quickCheck(_ db: SQLiteConnection) throws {
        let findings = try db.textColumn("PRAGMA quick_check(5)")
        if findings != ["ok"] {
            throw CheckpointError.integrityCheckFailed(file: db.path, detail: findings.joined(separator: "; "))
        }
    }
}
