import CSQLite
import CheckpointSQLite
import Foundation
import ProphRLCore
import Testing

@Suite("SQLite checkpoint store: WAL, vacuum, locking, schema")
struct SQLiteMaintenanceTests {
    static func size(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }

    @Test("Manual checkpointing leaves frames in the WAL until checkpointWAL copies and truncates it",
          arguments: [SQLiteCheckpointStore.WALCheckpointing.manual, .background, .automatic])
    func walCheckpoint(mode: SQLiteCheckpointStore.WALCheckpointing) throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("run.sqlite")
        let store = try SQLiteCheckpointStore(path: path, mode: .create, walCheckpointing: mode)
        try store.createRun(try Fixtures.run())
        try store.save(try Fixtures.checkpoint(step: 1, bytesPerTensor: 1 << 20))
        if mode == .manual { #expect(Self.size(path + "-wal") > 3 << 20) }
        try store.checkpointWAL()
        #expect(Self.size(path + "-wal") == 0)
        #expect(Self.size(path) > 3 << 20)            // the bytes now live in the main file
        // Another connection, reading only the main file's content, sees the checkpoint.
        let reader = try SQLiteCheckpointStore(path: path, mode: .readOnly)
        #expect(try reader.load(step: 1) == (try Fixtures.checkpoint(step: 1, bytesPerTensor: 1 << 20)))
    }

    @Test("VACUUM after retention shrinks the file; pruned pages are reused before that")
    func vacuumShrinks() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("run.sqlite")
        let store = try SQLiteCheckpointStore(path: path, mode: .create)
        try store.createRun(try Fixtures.run())
        for step in 1...4 { try store.save(try Fixtures.checkpoint(step: step, bytesPerTensor: 1 << 20)) }
        let full = try store.fileSize()
        try store.applyRetention(try RetentionPolicy(keepLast: 1))
        try store.save(try Fixtures.checkpoint(step: 5, bytesPerTensor: 1 << 20), retention: try RetentionPolicy(keepLast: 1))
        #expect(try store.fileSize() == full)       // step 5 went into freed pages; the file did not grow
        try store.vacuum()
        let vacuumed = try store.fileSize()
        #expect(vacuumed < full / 2)
        #expect(vacuumed > 3 << 20)
        #expect(try store.list().map(\.step) == [5])
    }

    @Test("A writer blocked beyond the busy timeout gets a typed busy error; readers are not blocked")
    func busy() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("run.sqlite")
        do {
            let setup = try SQLiteCheckpointStore(path: path, mode: .create)
            try setup.createRun(try Fixtures.run())
            try setup.save(try Fixtures.checkpoint(step: 1))
        }
        var holder: OpaquePointer?
        #expect(sqlite3_open(path, &holder) == SQLITE_OK)
        defer { sqlite3_close(holder) }
        #expect(sqlite3_exec(holder, "BEGIN IMMEDIATE", nil, nil, nil) == SQLITE_OK)   // takes the write lock
        let store = try SQLiteCheckpointStore(path: path, mode: .open, busyTimeoutMilliseconds: 100)
        do {
            try store.save(try Fixtures.checkpoint(step: 2))
            Issue.record("saved while another connection held the write lock")
        } catch let error as CheckpointError {
            guard case .busy(let file, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(file == path)
        }
        #expect(try store.latest()?.step == 1)        // reading is fine meanwhile
        sqlite3_exec(holder, "ROLLBACK", nil, nil, nil)
        try store.save(try Fixtures.checkpoint(step: 2))
        #expect(try store.list().map(\.step) == [1, 2])
    }

    @Test("A new file records its schema version in user_version and schema_version")
    func schemaVersionRecorded() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("run.sqlite")
        _ = try SQLiteCheckpointStore(path: path, mode: .create)
        var db: OpaquePointer?
        sqlite3_open(path, &db)
        defer { sqlite3_close(db) }
        func scalar(_ sql: String) -> Int64 {
            var statement: OpaquePointer?
            sqlite3_prepare_v2(db, sql, -1, &statement, nil)
            defer { sqlite3_finalize(statement) }
            return sqlite3_step(statement) == SQLITE_ROW ? sqlite3_column_int64(statement, 0) : -1
        }
        #expect(scalar("PRAGMA user_version") == Int64(SQLiteCheckpointStore.schemaVersion))
        #expect(scalar("SELECT max(version) FROM schema_version") == Int64(SQLiteCheckpointStore.schemaVersion))
        #expect(scalar("PRAGMA application_id") == 0x5052_4C31)
        #expect(scalar("PRAGMA page_size") == 65_536)
        #expect(scalar("PRAGMA auto_vacuum") == 2)      // incremental
    }
}
