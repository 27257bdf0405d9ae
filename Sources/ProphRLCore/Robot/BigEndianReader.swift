/// Reads big-endian numbers from a byte array, throwing ``RTDEError/truncated(context:needed:available:)`` at the end.
public struct BigEndianReader: Sendable {
    /// The bytes being read.
    public let bytes: [UInt8]
    /// The index of the next unread byte.
    public private(set) var offset: Int
    /// What is being parsed, for error messages.
    public let context: String

    /// Starts reading `bytes` at `offset`.
    public init(_ bytes: [UInt8], offset: Int = 0, context: String) {
        self.bytes = bytes
        self.offset = offset
        self.context = context
    }

    /// Bytes left to read.
    public var remaining: Int { bytes.count - offset }

    /// Takes `count` raw bytes.
    public mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, remaining >= count else {
            throw RTDEError.truncated(context: context, needed: count, available: max(remaining, 0))
        }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    /// Reads an unsigned integer of `byteCount` bytes as UInt64.
    private mutating func unsigned(_ byteCount: Int) throws -> UInt64 {
        var value: UInt64 = 0
        for byte in try take(byteCount) { value = (value << 8) | UInt64(byte) }
        return value
    }

    /// Reads one byte.
    public mutating func uint8() throws -> UInt8 { UInt8(try unsigned(1)) }
    /// Reads a big-endian UInt16.
    public mutating func uint16() throws -> UInt16 { UInt16(try unsigned(2)) }
    /// Reads a big-endian UInt32.
    public mutating func uint32() throws -> UInt32 { UInt32(try unsigned(4)) }
    /// Reads a big-endian Int32.
    public mutating func int32() throws -> Int32 { Int32(bitPattern: UInt32(try unsigned(4))) }
    /// Reads a big-endian UInt64.
    public mutating func uint64() throws -> UInt64 { try unsigned(8) }
    /// Reads a big-endian IEEE-754 double.
    public mutating func double() throws -> Double { Double(bitPattern: try unsigned(8)) }
    /// Reads the rest as text (invalid UTF-8 is repaired, never fatal).
    public mutating func restAsString() -> String {
        let slice = bytes[offset...]
        offset = bytes.count
        return String(decoding: slice, as: UTF8.self)
    }
}

/// Appends big-endian numbers to a byte array.
public struct BigEndianWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []

    /// Creates an empty writer, reserving `capacity` bytes.
    public init(capacity: Int = 64) { bytes.reserveCapacity(capacity) }

    private mutating func unsigned(_ value: UInt64, _ byteCount: Int) {
        for shift in stride(from: (byteCount - 1) * 8, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }

    /// Appends one byte.
    public mutating func uint8(_ value: UInt8) { bytes.append(value) }
    /// Appends a big-endian UInt16.
    public mutating func uint16(_ value: UInt16) { unsigned(UInt64(value), 2) }
    /// Appends a big-endian UInt32.
    public mutating func uint32(_ value: UInt32) { unsigned(UInt64(value), 4) }
    /// Appends a big-endian Int32.
    public mutating func int32(_ value: Int32) { unsigned(UInt64(UInt32(bitPattern: value)), 4) }
    /// Appends a big-endian UInt64.
    public mutating func uint64(_ value: UInt64) { unsigned(value, 8) }
    /// Appends a big-endian IEEE-754 double.
    public mutating func double(_ value: Double) { unsigned(value.bitPattern, 8) }
    /// Appends raw bytes.
    public mutating func append<S: Sequence>(contentsOf other: S) where S.Element == UInt8 {
        bytes.append(contentsOf: other)
    }
    /// Appends UTF-8 text without terminator.
    public mutating func string(_ text: String) { bytes.append(contentsOf: Array(text.utf8)) }
}
