/// A tensor as checkpoints store it: a dotted name, a dtype, a shape and raw little-endian bytes.
///
/// The dotted name is the parameter path of the model (`blocks.3.attn.qkv.weight`); the same key
/// names the row in a checkpoint database and the entry in an exported safetensors file.
///
/// ```swift
/// let w = try NamedTensor(name: "head.weight", values: [Float](repeating: 0, count: 6), shape: [2, 3])
/// let back: [Float] = try w.floats()
/// ```
public struct NamedTensor: Sendable, Equatable, Hashable {
    /// The dotted parameter path.
    public let name: String
    /// The element type of `bytes`.
    public let dtype: DType
    /// The dimensions, outermost first; `[]` is a scalar.
    public let shape: [Int]
    /// `elementCount * dtype.byteSize` raw little-endian bytes, row-major.
    public let bytes: [UInt8]

    /// Creates a tensor from raw bytes.
    /// - Throws: ``ValidationError`` if the name is not a valid dotted key, a dimension is negative,
    ///   or `bytes.count` differs from `product(shape) * dtype.byteSize`.
    public init(name: String, dtype: DType, shape: [Int], bytes: [UInt8]) throws {
        try NamedTensor.validate(name: name)
        for (axis, dimension) in shape.enumerated() where dimension < 0 {
            throw ValidationError.outOfRange(argument: "shape[\(axis)] of \(name)", expected: ">= 0",
                                             actual: Double(dimension))
        }
        let (elements, overflow) = NamedTensor.product(shape)
        let (byteCount, overflow2) = elements.multipliedReportingOverflow(by: dtype.byteSize)
        if overflow || overflow2 {
            throw ValidationError.invalid(argument: "shape of \(name)", reason: "element count overflows Int: \(shape)")
        }
        if bytes.count != byteCount {
            throw ValidationError.shapeMismatch(argument: "bytes of \(name)",
                                               expected: "\(byteCount) bytes for \(dtype.rawValue) \(shape)",
                                               actual: "\(bytes.count) bytes")
        }
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.bytes = bytes
    }

    /// Creates an `f32` tensor from values (stored little-endian).
    /// - Throws: ``ValidationError`` as ``init(name:dtype:shape:bytes:)``.
    public init(name: String, values: [Float], shape: [Int]) throws {
        var bytes = [UInt8]()
        bytes.reserveCapacity(values.count * 4)
        for value in values { NamedTensor.appendLittleEndian(value.bitPattern, to: &bytes) }
        try self.init(name: name, dtype: .f32, shape: shape, bytes: bytes)
    }

    /// Creates an `f64` tensor from values (stored little-endian).
    /// - Throws: ``ValidationError`` as ``init(name:dtype:shape:bytes:)``.
    public init(name: String, values: [Double], shape: [Int]) throws {
        var bytes = [UInt8]()
        bytes.reserveCapacity(values.count * 8)
        for value in values { NamedTensor.appendLittleEndian(value.bitPattern, to: &bytes) }
        try self.init(name: name, dtype: .f64, shape: shape, bytes: bytes)
    }

    /// The number of elements (`1` for a scalar).
    public var elementCount: Int { NamedTensor.product(shape).value }

    /// The values of an `f32` tensor.
    /// - Throws: ``ValidationError`` if the dtype is not `f32`.
    public func floats() throws -> [Float] {
        try requireDType(.f32)
        return stride(from: 0, to: bytes.count, by: 4).map { Float(bitPattern: readLittleEndian(UInt32.self, at: $0)) }
    }

    /// The values of an `f64` tensor.
    /// - Throws: ``ValidationError`` if the dtype is not `f64`.
    public func doubles() throws -> [Double] {
        try requireDType(.f64)
        return stride(from: 0, to: bytes.count, by: 8).map { Double(bitPattern: readLittleEndian(UInt64.self, at: $0)) }
    }

    /// Checks that `name` is a non-empty dotted key without empty segments or control characters.
    /// - Throws: ``ValidationError/invalid(argument:reason:)`` naming the problem.
    public static func validate(name: String) throws {
        if name.isEmpty { throw ValidationError.empty(argument: "tensor name") }
        if name == "__metadata__" {
            throw ValidationError.invalid(argument: "tensor name", reason: "\"__metadata__\" is reserved by safetensors")
        }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw ValidationError.invalid(argument: "tensor name", reason: "control character in \(name.debugDescription)")
        }
        if name.split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty) {
            throw ValidationError.invalid(argument: "tensor name",
                                          reason: "empty segment in dotted name \(name.debugDescription)")
        }
    }

    // MARK: - Byte helpers

    private func requireDType(_ expected: DType) throws {
        if dtype != expected {
            throw ValidationError.invalid(argument: "dtype of \(name)", reason: "expected \(expected.rawValue), got \(dtype.rawValue)")
        }
    }

    private func readLittleEndian<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
        var value: T = 0
        for i in 0..<MemoryLayout<T>.size { value |= T(bytes[offset + i]) << (8 * i) }
        return value
    }

    private static func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        for i in 0..<MemoryLayout<T>.size { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * i))) }
    }

    private static func product(_ shape: [Int]) -> (value: Int, overflow: Bool) {
        var result = 1
        for dimension in shape {
            let (next, overflow) = result.multipliedReportingOverflow(by: dimension)
            if overflow { return (0, true) }
            result = next
        }
        return (result, false)
    }
}
