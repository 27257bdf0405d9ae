/// Splits a TCP byte stream into whole RTDE frames (size-prefixed, big-endian).
///
/// ```swift
/// var buffer = RTDEFrameBuffer()
/// buffer.append(bytesFromSocket)
/// while let frame = try buffer.nextFrame() { handle(try RTDEPackage.decode(frame: frame, direction: .toClient)) }
/// ```
public struct RTDEFrameBuffer: Sendable {
    private var storage: [UInt8] = []
    private var start = 0

    /// Creates an empty buffer.
    public init() {}

    /// Bytes received but not yet returned as frames.
    public var pendingByteCount: Int { storage.count - start }

    /// Appends bytes read from the socket.
    public mutating func append<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        if start > 0 && start >= storage.count / 2 {
            storage.removeFirst(start)
            start = 0
        }
        storage.append(contentsOf: bytes)
    }

    /// The next complete frame, nil if more bytes are needed; a size below 3 is an ``RTDEError``.
    public mutating func nextFrame() throws -> [UInt8]? {
        guard pendingByteCount >= 3 else { return nil }
        let size = Int(storage[start]) << 8 | Int(storage[start + 1])
        guard size >= 3 else { throw RTDEError.invalidPackageSize(declared: size, actual: pendingByteCount) }
        guard pendingByteCount >= size else { return nil }
        let frame = Array(storage[start..<(start + size)])
        start += size
        return frame
    }
}
