import CSQLite
import ProphRLCore

/// One open SQLite database handle; not thread-safe (the store serialises access to it).
final class SQLiteConnection {
    /// The file, for error messages.
    let path: String
    private(set) var handle: OpaquePointer?

    /// Opens `path` with `flags` (`SQLITE_OPEN_*`).
    init(path: String, flags: Int32) throws {
        self.path = path
        var db: OpaquePointer?
        let code = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        handle = db
        if code != SQLITE_OK {
            let error = SQLiteConnection.mapError(code: code, message: db.map { String(cString: sqlite3_errmsg($0)) } ?? "", path: path)
            sqlite3_close_v2(db)
            handle = nil
            throw error
        }
        sqlite3_extended_result_codes(db, 1)
    }

    deinit { close() }

    /// Closes the handle (idempotent).
    func close() {
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    /// Runs one or more statements without results.
    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        if code != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? lastMessage
            sqlite3_free(message)
            throw SQLiteConnection.mapError(code: code, message: text, path: path)
        }
    }

    /// Prepares one statement.
    func prepare(_ sql: String) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw SQLiteConnection.mapError(code: code, message: lastMessage, path: path)
        }
        return SQLiteStatement(statement: statement, connection: self)
    }

    /// Runs `body` inside `BEGIN IMMEDIATE ... COMMIT` (writer lock taken up front, so a busy
    /// database fails at `BEGIN` rather than mid-transaction), rolling back on any error.
    func writeTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Runs `body` inside a read transaction, so every query sees one snapshot.
    func readTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN DEFERRED")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// The first column of the first row of `sql` as an integer (0 when there is no row).
    func scalarInt(_ sql: String) throws -> Int64 {
        let statement = try prepare(sql)
        return try statement.step() ? statement.int64(0) : 0
    }

    /// The first column of every row of `sql` as text.
    func textColumn(_ sql: String) throws -> [String] {
        let statement = try prepare(sql)
        var rows: [String] = []
        while try statement.step() { rows.append(statement.text(0)) }
        return rows
    }

    var lastMessage: String { handle.map { String(cString: sqlite3_errmsg($0)) } ?? "no database handle" }

    /// Maps an SQLite result code to the store's typed errors.
    static func mapError(code: Int32, message: String, path: String) -> CheckpointError {
        let primary = code & 0xFF
        let detail = "\(message) (SQLite code \(code))"
        switch primary {
        case SQLITE_NOTADB: return .notACheckpoint(file: path, detail: "not an SQLite database: \(detail)")
        case SQLITE_CORRUPT: return .integrityCheckFailed(file: path, detail: detail)
        case SQLITE_BUSY, SQLITE_LOCKED: return .busy(file: path, detail: detail)
        default: return .io(file: path, detail: detail)
        }
    }
}
