import CSQLite
import CheckpointSQLite
import Foundation
import ProphRLCore
import Testing

/// Runs raw SQL on a file, bypassing the store (to forge foreign, newer or damaged databases).
func rawSQL(_ path: String, _ sql: String) throws {
    var db: OpaquePointer?
    guard sqlite3_open(path, &db) == SQLITE_OK else { throw CheckpointError.io(file: path, detail: "open") }
    defer { sqlite3_close(db) }
    var message: UnsafeMutablePointer<CChar>?
    if sqlite3_exec(db, sql, nil, nil, &message) != SQLITE_OK {
        defer { sqlite3_free(message) }
        throw CheckpointError.io(file: path, detail: message.map { String(cString: $0) } ?? "exec")
    }
}

@Suite("SQLite checkpoint store: integrity and concurrency")
struct SQLiteIntegrityTests {
    /// A closed run file with checkpoints at `steps` and an empty WAL (everything in the main file).
    static func makeRun(_ path: String, steps: [Int] = [1, 2]) throws {
        let store = try SQLiteCheckpointStore(path: path, mode: .create)
        try store.createRun(try Fixtures.run())
        for step in steps { try store.save(try Fixtures.checkpoint(step: step)) }
        try store.vacuum()
    }

    @Test("Checkpoints survive closing and reopening; the file is a WAL-mode ProphRL database")
    func reopen() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("run.sqlite")
        try Self.makeRun(path, steps: [5, 9])
        let store = try SQLiteCheckpointStore(path: path, mode: .readOnly)
        #expect(try store.latest() == (try Fixtures.checkpoint(step: 9)))
        #expect(try store.runRecord() == (try Fixtures.run()))
        let header = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)).prefix(100))
        #expect(Array(header[0..<16]) == Array("SQLite format 3\0".utf8))
        #expect(header[18] == 2 && header[19] == 2)                 // WAL read/write versions
        #expect(Array(header[68..<72]) == [0x50, 0x52, 0x4C, 0x31])  // application_id "PRL1"
        #expect(Int(header[63]) == SQLiteCheckpointStore.schemaVersion) // user_version (low byte)
    }

    @Test("A file that is not SQLite is notACheckpoint naming the file")
    func notSQLite() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("weights.bin")
        var rng = SeededGenerator(seed: 1)
        try Data((0..<8192).map { _ in UInt8(truncatingIfNeeded: rng.next()) }).write(to: URL(fileURLWithPath: path))
        do {
            _ = try SQLiteCheckpointStore(path: path, mode: .open)
            Issue.record("opened a random file")
        } catch let error as CheckpointError {
            guard case .notACheckpoint(let file, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(file == path)
            #expect(error.description.hasPrefix(path))
        }
    }

    @Test("Another application's SQLite database is notACheckpoint and is left untouched")
    func foreignDatabase() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("other.sqlite")
        try rawSQL(path, "CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        #expect(throws: CheckpointError.notACheckpoint(
            file: path, detail: "SQLite database with application_id 0, expected \(0x5052_4C31)")) {
            _ = try SQLiteCheckpointStore(path: path)
        }
    }

    @Test("A newer schema version is refused with both versions")
    func newerSchema() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("run.sqlite")
        try Self.makeRun(path)
        try rawSQL(path, "PRAGMA user_version = 99")
        let supported = SQLiteCheckpointStore.schemaVersion
        #expect(throws: CheckpointError.newerSchema(file: path, found: 99, supported: supported)) {
            _ = try SQLiteCheckpointStore(path: path, mode: .open)
        }
        #expect(throws: CheckpointError.newerSchema(file: path, found: 99, supported: supported)) {
            _ = try SQLiteCheckpointStore(path: path, mode: .readOnly)
        }
    }

    @Test("Missing files and existing files are typed I/O errors per mode")
    func openModes() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("run.sqlite")
        #expect(throws: CheckpointError.io(file: path, detail: "no such file")) { _ = try SQLiteCheckpointStore(path: path, mode: .open) }
        #expect(throws: CheckpointError.io(file: path, detail: "no such file")) { _ = try SQLiteCheckpointStore(path: path, mode: .readOnly) }
        try Self.makeRun(path)
        #expect(throws: CheckpointError.io(file: path, detail: "file already exists")) { _ = try SQLiteCheckpointStore(path: path, mode: .create) }
    }

    @Test("A flipped byte inside a tensor is a checksum mismatch naming file, step and tensor")
    func checksumMismatch() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("run.sqlite")
        try Self.makeRun(path, steps: [1])
        let target = try Fixtures.checkpoint(step: 1).tensor("blocks.1.weight").bytes
        var file = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        guard let range = Data(file).range(of: Data(target.prefix(32))) else {
            Issue.record("tensor bytes not found in the file"); return
        }
        let offset = range.lowerBound
        file[offset + 5] ^= 0x01
        try Data(file).write(to: URL(fileURLWithPath: path))
        let store = try SQLiteCheckpointStore(path: path, mode: .readOnly)   // structure is intact
        #expect(throws: CheckpointError.checksumMismatch(file: path, step: 1, tensor: "blocks.1.weight")) {
            _ = try store.load(step: 1)
        }
        // The undamaged tensors of the same checkpoint still load.
        #expect(try store.loadTensors(step: 1, names: ["blocks.0.weight"]) == [try Fixtures.checkpoint(step: 1).tensor("blocks.0.weight")])
    }

    @Test("A damaged b-tree page fails quick_check with integrityCheckFailed")
    func damagedPage() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("run.sqlite")
        try Self.makeRun(path, steps: [1, 2, 3])
        // Locate the root page of the tensors table and scribble over its page header.
        var db: OpaquePointer?
        sqlite3_open(path, &db)
        var statement: OpaquePointer?
        sqlite3_prepare_v2(db, "SELECT rootpage FROM sqlite_schema WHERE name = 'checkpoints'", -1, &statement, nil)
        sqlite3_step(statement)
        let rootPage = Int(sqlite3_column_int64(statement, 0))
        sqlite3_finalize(statement)
        sqlite3_close(db)
        #expect(rootPage > 1)
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try handle.seek(toOffset: UInt64((rootPage - 1) * 65_536))
        try handle.write(contentsOf: Data([0x0D, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]))
        try handle.close()
        do {
            _ = try SQLiteCheckpointStore(path: path, mode: .readOnly)
            Issue.record("opened a damaged file")
        } catch let error as CheckpointError {
            guard case .integrityCheckFailed(let file, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(file == path)
        }
    }

    @Test("Asking for an absent tensor is missingTensor; an absent step is noSuchStep")
    func missingTensor() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("run.sqlite")
        try Self.makeRun(path, steps: [1])
        let store = try SQLiteCheckpointStore(path: path, mode: .readOnly)
        #expect(throws: CheckpointError.missingTensor(file: path, step: 1, name: "head.bias")) {
            _ = try store.loadTensors(step: 1, names: ["blocks.0.weight", "head.bias"])
        }
        #expect(throws: CheckpointError.noSuchStep(file: path, step: 2)) { _ = try store.loadTensors(step: 2, names: []) }
        #expect(try store.loadTensors(step: 1, names: ["sgd.momentum.blocks.0.weight"]).count == 1)
    }

    @Test("A reader on another connection sees whole checkpoints while a writer saves")
    func concurrentReader() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("run.sqlite")
        let writer = try SQLiteCheckpointStore(path: path, mode: .create)
        try writer.createRun(try Fixtures.run())
        try writer.save(try Fixtures.checkpoint(step: 0, bytesPerTensor: 1 << 16))
        let reader = try SQLiteCheckpointStore(path: path, mode: .readOnly)
        let steps = 40
        async let written: Void = {
            for step in 1...steps { try writer.save(try Fixtures.checkpoint(step: step, bytesPerTensor: 1 << 16)) }
        }()
        var seen = Set<Int>()
        while seen.count < 8 || seen.max() != steps {
            guard let latest = try reader.latest() else { Issue.record("reader saw no checkpoint"); break }
            // Whole, never half: the loaded checkpoint equals the one that was saved at its step.
            #expect(latest == (try Fixtures.checkpoint(step: latest.step, bytesPerTensor: 1 << 16)))
            seen.insert(latest.step)
            if seen.max() == steps { break }
        }
        try await written
        #expect(try reader.list().count == steps + 1)
    }
}
