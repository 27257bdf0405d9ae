import CSQLite
import Dispatch
import ProphRLCore
import Synchronization

/// Copies committed WAL frames into the main database file on a background queue, with its own
/// connection, so a save returns once its transaction is durable in the WAL and the second write
/// of the same bytes (WAL → database) overlaps the next training steps instead of blocking them.
///
/// Crash safety does not depend on it: committed frames stay valid in the WAL until copied, and
/// SQLite's checkpoint is itself crash-safe. Requests made while one is queued are coalesced.
final class BackgroundCheckpointer: @unchecked Sendable {
    // `connection` is only touched on `queue`; the flag is the only state shared across threads.
    private let queue = DispatchQueue(label: "prophrl.checkpoint-sqlite.wal")
    private var connection: SQLiteConnection?
    private let queued = Mutex(false)
    private let path: String

    init(path: String) { self.path = path }

    /// Asks for a passive checkpoint soon; returns immediately.
    func request() {
        let alreadyQueued = queued.withLock { flag in
            defer { flag = true }
            return flag
        }
        if alreadyQueued { return }
        queue.async { [self] in
            queued.withLock { $0 = false }
            do {
                if connection == nil {
                    let db = try SQLiteConnection(path: path, flags: SQLITE_OPEN_READWRITE)
                    sqlite3_busy_timeout(db.handle, 1_000)
                    connection = db
                }
                // PASSIVE never blocks the writer or readers; frames it cannot copy yet wait for next time.
                try connection?.execute("PRAGMA wal_checkpoint(PASSIVE)")
            } catch {
                // Best effort: the data is safe in the WAL; the next request or close copies it.
            }
        }
    }

    /// Waits for queued work to finish.
    func drain() { queue.sync {} }

    deinit {
        queue.sync { connection?.close() }
    }
}
