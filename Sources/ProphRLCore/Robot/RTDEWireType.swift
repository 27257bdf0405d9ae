/// An RTDE wire type: how one variable is serialized in a data package (big-endian, no padding).
public enum RTDEWireType: String, Sendable, CaseIterable, Equatable {
    /// 1 byte, 0 or 1.
    case bool = "BOOL"
    /// 1 byte unsigned.
    case uint8 = "UINT8"
    /// 4 bytes unsigned.
    case uint32 = "UINT32"
    /// 8 bytes unsigned.
    case uint64 = "UINT64"
    /// 4 bytes signed.
    case int32 = "INT32"
    /// 8 bytes IEEE-754.
    case double = "DOUBLE"
    /// 3 doubles.
    case vector3d = "VECTOR3D"
    /// 6 doubles.
    case vector6d = "VECTOR6D"
    /// 6 signed 32-bit integers.
    case vector6int32 = "VECTOR6INT32"
    /// 6 unsigned 32-bit integers.
    case vector6uint32 = "VECTOR6UINT32"

    /// The type name as the controller writes it in recipe replies.
    public var name: String { rawValue }

    /// Serialized size in bytes.
    public var byteCount: Int {
        switch self {
        case .bool, .uint8: return 1
        case .uint32, .int32: return 4
        case .uint64, .double: return 8
        case .vector3d, .vector6int32, .vector6uint32: return 24
        case .vector6d: return 48
        }
    }
}

/// The two words a controller writes instead of a type name when a recipe variable cannot be served.
public enum RTDERecipeRefusal {
    /// The variable name is unknown to the controller.
    public static let notFound = "NOT_FOUND"
    /// The input variable is owned by another connection or a fieldbus.
    public static let inUse = "IN_USE"
}
