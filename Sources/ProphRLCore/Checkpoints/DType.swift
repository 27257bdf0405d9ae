/// The element type of a stored tensor, with its byte size and its safetensors name.
///
/// ```swift
/// let dtype = try DType(safetensorsName: "BF16")   // .bf16
/// dtype.byteSize                                   // 2
/// ```
public enum DType: String, Sendable, CaseIterable, Hashable {
    /// IEEE 754 binary32.
    case f32
    /// IEEE 754 binary64.
    case f64
    /// IEEE 754 binary16.
    case f16
    /// bfloat16 (the top half of a binary32).
    case bf16
    /// Signed 64-bit integer.
    case i64
    /// Signed 32-bit integer.
    case i32
    /// Unsigned byte.
    case u8
    /// Boolean stored as one byte (0 or 1).
    case bool

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .f64, .i64: return 8
        case .f32, .i32: return 4
        case .f16, .bf16: return 2
        case .u8, .bool: return 1
        }
    }

    /// The dtype string of the safetensors header (`F32`, `BF16`, `BOOL`, ...).
    public var safetensorsName: String {
        switch self {
        case .f32: return "F32"
        case .f64: return "F64"
        case .f16: return "F16"
        case .bf16: return "BF16"
        case .i64: return "I64"
        case .i32: return "I32"
        case .u8: return "U8"
        case .bool: return "BOOL"
        }
    }

    /// Parses a safetensors dtype string.
    /// - Throws: ``ValidationError/invalid(argument:reason:)`` for a dtype ProphRL does not store.
    public init(safetensorsName name: String) throws {
        guard let match = DType.allCases.first(where: { $0.safetensorsName == name }) else {
            throw ValidationError.invalid(
                argument: "dtype",
                reason: "expected one of \(DType.allCases.map(\.safetensorsName).joined(separator: ", ")), got \(name)")
        }
        self = match
    }

    /// Parses the lower-case name used in the checkpoint database (`f32`, `bf16`, ...).
    /// - Throws: ``ValidationError/invalid(argument:reason:)`` for an unknown name.
    public init(storageName name: String) throws {
        guard let match = DType(rawValue: name) else {
            throw ValidationError.invalid(
                argument: "dtype",
                reason: "expected one of \(DType.allCases.map(\.rawValue).joined(separator: ", ")), got \(name)")
        }
        self = match
    }
}
