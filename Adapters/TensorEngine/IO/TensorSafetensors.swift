import Foundation
import ProphRLCore

/// Moves parameter dictionaries (dotted path → ``Tensor``) to and from safetensors files through the
/// core's pure codec (``Safetensors``, ``NamedTensor``): F32 on write; F32, F16 and BF16 on read
/// (widened to Float32), so weights move to and from PyTorch.
///
/// ```swift
/// try TensorSafetensors.write(model.parameters(), to: "policy.safetensors", metadata: ["step": "100"])
/// try model.update(parameters: TensorSafetensors.read("policy.safetensors").tensors, strict: true)
/// ```
public enum TensorSafetensors {
    /// The tensors as F32 named tensors, sorted by name.
    /// - Throws: ``ValidationError`` for a name that is not a valid dotted key.
    public static func namedTensors(_ tensors: [String: Tensor]) throws -> [NamedTensor] {
        try tensors.keys.sorted().compactMap { key in
            guard let tensor = tensors[key] else { return nil }
            return try NamedTensor(name: key, values: tensor.scalars, shape: tensor.shape)
        }
    }

    /// Tensors from named tensors, widening F16 and BF16 to Float32.
    /// - Throws: ``TensorError/unsupportedDType(name:dtype:)`` for any other dtype.
    public static func tensors(_ named: [NamedTensor]) throws -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for item in named {
            let values: [Float]
            switch item.dtype {
            case .f32: values = stride(from: 0, to: item.bytes.count, by: 4).map { Float(bitPattern: word32(item.bytes, $0)) }
            case .bf16: values = stride(from: 0, to: item.bytes.count, by: 2).map { Float(bitPattern: UInt32(word16(item.bytes, $0)) << 16) }
            case .f16: values = stride(from: 0, to: item.bytes.count, by: 2).map { Float(Float16(bitPattern: word16(item.bytes, $0))) }
            default: throw TensorError.unsupportedDType(name: item.name, dtype: item.dtype.safetensorsName)
            }
            result[item.name] = try Tensor(values, shape: item.shape)
        }
        return result
    }

    /// Safetensors bytes for the tensors (F32) and metadata.
    /// - Throws: ``ValidationError`` for an invalid name.
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:]) throws -> [UInt8] {
        try Safetensors.encode(namedTensors(tensors), metadata: metadata)
    }

    /// Tensors and metadata decoded from safetensors bytes.
    /// - Throws: ``CheckpointError`` for a malformed or truncated file, ``TensorError`` for an unsupported dtype.
    public static func decode(_ bytes: [UInt8], file: String) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        let contents = try Safetensors.decode(bytes, file: file)
        return (try tensors(contents.tensors), contents.metadata)
    }

    /// Writes the tensors to `path` atomically (temporary sibling, fsync, rename).
    /// - Throws: ``TensorError`` if the file cannot be written, or what ``encode(_:metadata:)`` throws.
    public static func write(_ tensors: [String: Tensor], to path: String, metadata: [String: String] = [:]) throws {
        let bytes = try encode(tensors, metadata: metadata)
        let temporary = "\(path).tmp-\(getpid())"
        let written = FileManager.default.createFile(atPath: temporary, contents: Data(bytes))
        var synced = false
        if written {
            let fd = open(temporary, O_RDONLY)
            if fd >= 0 { synced = fsync(fd) == 0; close(fd) }
        }
        guard written, synced, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw TensorError.invalidArgument(op: "TensorSafetensors.write", argument: "path", reason: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Reads tensors and metadata from the file at `path`.
    /// - Throws: ``TensorError`` if the file cannot be read, or what ``decode(_:file:)`` throws.
    public static func read(_ path: String) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TensorError.invalidArgument(op: "TensorSafetensors.read", argument: "path", reason: "cannot read \(path)")
        }
        return try decode([UInt8](data), file: path)
    }

    private static func word32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }

    private static func word16(_ bytes: [UInt8], _ offset: Int) -> UInt16 {
        UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }
}
