import Foundation

/// Writes whole files atomically: a temporary sibling, fsync, then rename over the target.
enum AtomicFile {
    /// Writes `bytes` to `path`; a reader sees the old file or the new one, never a mix.
    static func write(_ bytes: [UInt8], to path: String) throws {
        let temporary = "\(path).tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw CLIError("\(path): cannot create \(temporary): \(String(cString: strerror(errno)))") }
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                let detail = String(cString: strerror(errno))
                close(fd)
                unlink(temporary)
                throw CLIError("\(path): write failed: \(detail)")
            }
            offset += count
        }
        let synced = fsync(fd) == 0
        close(fd)
        guard synced, rename(temporary, path) == 0 else {
            let detail = String(cString: strerror(errno))
            unlink(temporary)
            throw CLIError("\(path): fsync/rename failed: \(detail)")
        }
    }

    /// Reads a whole file.
    static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("\(path): cannot read the file") }
        return [UInt8](data)
    }
}


/// The current time as seconds since the epoch and as ISO 8601 UTC.
enum Clock {
    static var now: Double { Date().timeIntervalSince1970 }
    static var iso8601: String { ISO8601DateFormatter().string(from: Date()) }
}
