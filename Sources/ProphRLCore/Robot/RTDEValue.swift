/// One variable's value in a data package, tagged with its wire type.
public enum RTDEValue: Equatable, Sendable {
    /// BOOL.
    case bool(Bool)
    /// UINT8.
    case uint8(UInt8)
    /// UINT32.
    case uint32(UInt32)
    /// UINT64.
    case uint64(UInt64)
    /// INT32.
    case int32(Int32)
    /// DOUBLE.
    case double(Double)
    /// VECTOR3D (3 values).
    case vector3d([Double])
    /// VECTOR6D (6 values).
    case vector6d([Double])
    /// VECTOR6INT32 (6 values).
    case vector6int32([Int32])
    /// VECTOR6UINT32 (6 values).
    case vector6uint32([UInt32])

    /// The wire type this value serializes as.
    public var wireType: RTDEWireType {
        switch self {
        case .bool: return .bool
        case .uint8: return .uint8
        case .uint32: return .uint32
        case .uint64: return .uint64
        case .int32: return .int32
        case .double: return .double
        case .vector3d: return .vector3d
        case .vector6d: return .vector6d
        case .vector6int32: return .vector6int32
        case .vector6uint32: return .vector6uint32
        }
    }

    /// The zero value of a wire type (what a controller sends for a variable it does not model).
    public static func zero(_ type: RTDEWireType) -> RTDEValue {
        switch type {
        case .bool: return .bool(false)
        case .uint8: return .uint8(0)
        case .uint32: return .uint32(0)
        case .uint64: return .uint64(0)
        case .int32: return .int32(0)
        case .double: return .double(0)
        case .vector3d: return .vector3d([0, 0, 0])
        case .vector6d: return .vector6d([Double](repeating: 0, count: 6))
        case .vector6int32: return .vector6int32([Int32](repeating: 0, count: 6))
        case .vector6uint32: return .vector6uint32([UInt32](repeating: 0, count: 6))
        }
    }

    /// The value as doubles (scalars give one element), for generic consumers.
    public var doubles: [Double] {
        switch self {
        case .bool(let v): return [v ? 1 : 0]
        case .uint8(let v): return [Double(v)]
        case .uint32(let v): return [Double(v)]
        case .uint64(let v): return [Double(v)]
        case .int32(let v): return [Double(v)]
        case .double(let v): return [v]
        case .vector3d(let v), .vector6d(let v): return v
        case .vector6int32(let v): return v.map(Double.init)
        case .vector6uint32(let v): return v.map(Double.init)
        }
    }

    /// Appends the big-endian encoding; vectors must have their fixed length.
    public func encode(into writer: inout BigEndianWriter, name: String) throws {
        switch self {
        case .bool(let v): writer.uint8(v ? 1 : 0)
        case .uint8(let v): writer.uint8(v)
        case .uint32(let v): writer.uint32(v)
        case .uint64(let v): writer.uint64(v)
        case .int32(let v): writer.int32(v)
        case .double(let v): writer.double(v)
        case .vector3d(let v):
            try Self.checkLength(v.count, 3, name: name)
            v.forEach { writer.double($0) }
        case .vector6d(let v):
            try Self.checkLength(v.count, 6, name: name)
            v.forEach { writer.double($0) }
        case .vector6int32(let v):
            try Self.checkLength(v.count, 6, name: name)
            v.forEach { writer.int32($0) }
        case .vector6uint32(let v):
            try Self.checkLength(v.count, 6, name: name)
            v.forEach { writer.uint32($0) }
        }
    }

    /// Reads one value of `type`.
    public static func decode(_ type: RTDEWireType, from reader: inout BigEndianReader) throws -> RTDEValue {
        switch type {
        case .bool: return .bool(try reader.uint8() != 0)
        case .uint8: return .uint8(try reader.uint8())
        case .uint32: return .uint32(try reader.uint32())
        case .uint64: return .uint64(try reader.uint64())
        case .int32: return .int32(try reader.int32())
        case .double: return .double(try reader.double())
        case .vector3d: return .vector3d(try (0..<3).map { _ in try reader.double() })
        case .vector6d: return .vector6d(try (0..<6).map { _ in try reader.double() })
        case .vector6int32: return .vector6int32(try (0..<6).map { _ in try reader.int32() })
        case .vector6uint32: return .vector6uint32(try (0..<6).map { _ in try reader.uint32() })
        }
    }

    private static func checkLength(_ count: Int, _ expected: Int, name: String) throws {
        if count != expected {
            throw RTDEError.valueTypeMismatch(name: name, expected: "\(expected) elements", actual: "\(count) elements")
        }
    }
}
