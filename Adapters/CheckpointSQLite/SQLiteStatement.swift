import CSQLite
import ProphRLCore

/// A prepared statement with typed binders and column readers; finalized on deinit.
final class SQLiteStatement {
    private let statement: OpaquePointer
    private let connection: SQLiteConnection

    init(statement: OpaquePointer, connection: SQLiteConnection) {
        self.statement = statement
        self.connection = connection
    }

    deinit { sqlite3_finalize(statement) }

    private func check(_ code: Int32) throws {
        if code != SQLITE_OK {
            throw SQLiteConnection.mapError(code: code, message: connection.lastMessage, path: connection.path)
        }
    }

    /// Binds an integer to the 1-based parameter `index`.
    func bind(_ index: Int32, _ value: Int64) throws { try check(sqlite3_bind_int64(statement, index, value)) }

    /// Binds a double.
    func bind(_ index: Int32, _ value: Double) throws { try check(sqlite3_bind_double(statement, index, value)) }

    /// Binds text (copied by SQLite).
    func bind(_ index: Int32, _ value: String) throws {
        try check(sqlite3_bind_text(statement, index, value, -1, prophrl_sqlite_transient()))
    }

    /// Binds `bytes` without copying, steps the statement to completion while they are pinned,
    /// then resets it. SQLite copies the blob into its pages during the step.
    func stepBindingBlob(_ index: Int32, _ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { buffer in
            // A zero-length blob still needs a non-null pointer, or SQLite stores NULL.
            let base = buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1)
            try check(sqlite3_bind_blob64(statement, index, base, sqlite3_uint64(buffer.count), nil))
            defer { sqlite3_bind_null(statement, index) }
            while try step() {}
        }
        try reset()
    }

    /// Advances; `true` when a row is available, `false` when done.
    @discardableResult
    func step() throws -> Bool {
        let code = sqlite3_step(statement)
        if code == SQLITE_ROW { return true }
        if code == SQLITE_DONE { return false }
        throw SQLiteConnection.mapError(code: code, message: connection.lastMessage, path: connection.path)
    }

    /// Runs the statement to completion and resets it for reuse.
    func run() throws {
        while try step() {}
        try reset()
    }

    /// Resets for re-execution, keeping bindings.
    func reset() throws {
        sqlite3_reset(statement)
    }

    /// Column `index` (0-based) as an integer.
    func int64(_ index: Int32) -> Int64 { sqlite3_column_int64(statement, index) }

    /// Column `index` as a double.
    func double(_ index: Int32) -> Double { sqlite3_column_double(statement, index) }

    /// Column `index` as text ("" for NULL).
    func text(_ index: Int32) -> String {
        guard let pointer = sqlite3_column_text(statement, index) else { return "" }
        let count = Int(sqlite3_column_bytes(statement, index))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// Column `index` as bytes (copied out of SQLite's buffer).
    func blob(_ index: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(statement, index))
        guard count > 0, let pointer = sqlite3_column_blob(statement, index) else { return [] }
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            buffer.baseAddress?.initialize(from: pointer.assumingMemoryBound(to: UInt8.self), count: count)
            initialized = count
        }
    }
}
