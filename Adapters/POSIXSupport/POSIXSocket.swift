#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ProphRLCore

/// A blocking TCP socket owned by one object; every read waits at most a timeout (poll).
public final class POSIXSocket: @unchecked Sendable {
    // @unchecked: the descriptor is immutable after init; concurrent read/write on a TCP socket is safe
    // in POSIX, and callers serialise writes with their own lock.
    public let descriptor: Int32

    public init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { _ = Glibc.close(descriptor) }

    /// Connects to `host:port` (name or IPv4/IPv6 address), waiting at most `timeout` seconds.
    public static func connect(host: String, port: UInt16, timeout: Double) throws -> POSIXSocket {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw RTDEError.socket(operation: "resolve \(host)", errno: status)
        }
        defer { freeaddrinfo(list) }
        var lastErrno: Int32 = ECONNREFUSED
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            guard fd >= 0 else { lastErrno = errno; continue }
            let sock = POSIXSocket(descriptor: fd)
            // Non-blocking connect bounded by poll, then back to blocking mode.
            let flags = fcntl(fd, F_GETFL)
            _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
            let result = Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen)
            if result != 0 && errno != EINPROGRESS { lastErrno = errno; continue }
            if result != 0 {
                guard try sock.wait(for: Int16(POLLOUT), timeout: timeout) else {
                    throw RTDEError.timeout(operation: "connect \(host):\(port)", seconds: timeout)
                }
                var error: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
                if error != 0 { lastErrno = error; continue }
            }
            _ = fcntl(fd, F_SETFL, flags)
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            return sock
        }
        throw RTDEError.socket(operation: "connect \(host):\(port)", errno: lastErrno)
    }

    /// Opens a listening socket on `host:port` (port 0 picks a free one).
    public static func listen(host: String, port: UInt16) throws -> POSIXSocket {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RTDEError.socket(operation: "socket", errno: errno) }
        let sock = POSIXSocket(descriptor: fd)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(port).bigEndian
        let name = host == "localhost" ? "127.0.0.1" : host
        guard inet_pton(AF_INET, name, &address.sin_addr) == 1 else {
            throw RTDEError.socket(operation: "parse address \(host)", errno: EINVAL)
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw RTDEError.socket(operation: "bind \(host):\(port)", errno: errno) }
        guard Glibc.listen(fd, 8) == 0 else { throw RTDEError.socket(operation: "listen", errno: errno) }
        return sock
    }

    /// The local port (useful after listening on port 0).
    public var localPort: UInt16 {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return UInt16(bigEndian: address.sin_port)
    }

    /// Waits up to `timeout` seconds for a connection; nil on timeout.
    public func accept(timeout: Double) throws -> POSIXSocket? {
        guard try wait(for: Int16(POLLIN), timeout: timeout) else { return nil }
        let fd = Glibc.accept(descriptor, nil, nil)
        guard fd >= 0 else { throw RTDEError.socket(operation: "accept", errno: errno) }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return POSIXSocket(descriptor: fd)
    }

    /// True when the socket is ready for `events` within `timeout` seconds.
    public func wait(for events: Int16, timeout: Double) throws -> Bool {
        var request = pollfd(fd: descriptor, events: events, revents: 0)
        let result = poll(&request, 1, Int32(max(0, timeout * 1000).rounded(.up)))
        if result < 0 {
            if errno == EINTR { return false }
            throw RTDEError.socket(operation: "poll", errno: errno)
        }
        return result > 0
    }

    /// Reads what is available (up to `maximum` bytes), waiting up to `timeout`; nil on timeout, [] on close.
    public func read(maximum: Int = 65536, timeout: Double) throws -> [UInt8]? {
        guard try wait(for: Int16(POLLIN), timeout: timeout) else { return nil }
        var buffer = [UInt8](repeating: 0, count: maximum)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, maximum, 0) }
        if count < 0 {
            if errno == EAGAIN || errno == EINTR { return nil }
            throw RTDEError.socket(operation: "recv", errno: errno)
        }
        return Array(buffer[0..<count])
    }

    /// Writes all bytes, waiting at most `timeout` seconds in total for the peer to drain.
    public func write(_ bytes: [UInt8], timeout: Double = 1) throws {
        var offset = 0
        while offset < bytes.count {
            guard try wait(for: Int16(POLLOUT), timeout: timeout) else {
                throw RTDEError.timeout(operation: "send", seconds: timeout)
            }
            let sent = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return send(descriptor, base + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                throw RTDEError.socket(operation: "send", errno: errno)
            }
            offset += sent
        }
    }

    /// Shuts both directions down so a blocked peer or reader wakes up.
    public func shutdownBoth() { _ = Glibc.shutdown(descriptor, Int32(SHUT_RDWR)) }
}
