/// The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header
/// mapping each name to `dtype`, `shape` and `data_offsets`, an optional `__metadata__` object of
/// strings, then the tensors' bytes back to back.
///
/// ```swift
/// let file = try Safetensors.encode(checkpoint.tensors, metadata: ["step": "100"])
/// let back = try Safetensors.decode(file, file: "weights.safetensors")
/// ```
public enum Safetensors {
    /// Tensors and metadata read from a safetensors file.
    public struct Contents: Sendable, Equatable {
        /// The tensors, sorted by name.
        public let tensors: [NamedTensor]
        /// The `__metadata__` string map (empty when absent).
        public let metadata: [String: String]

        /// Creates contents (tensors are sorted by name).
        public init(tensors: [NamedTensor], metadata: [String: String]) {
            self.tensors = tensors.sorted { $0.name < $1.name }
            self.metadata = metadata
        }
    }

    /// The largest header accepted on decode (the reference implementation's limit).
    public static let maxHeaderBytes = 100_000_000

    /// Encodes tensors (in name order) and string metadata to safetensors bytes.
    /// - Throws: ``ValidationError`` if two tensors share a name.
    public static func encode(_ tensors: [NamedTensor], metadata: [String: String] = [:]) throws -> [UInt8] {
        let sorted = tensors.sorted { $0.name < $1.name }
        for i in sorted.indices.dropFirst() where sorted[i].name == sorted[i - 1].name {
            throw ValidationError.invalid(argument: "tensors", reason: "duplicate tensor name \(sorted[i].name)")
        }
        var members: [(String, JSONValue)] = []
        if !metadata.isEmpty {
            members.append(("__metadata__", .object(metadata.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
        }
        var offset: Int64 = 0
        for tensor in sorted {
            let end = offset + Int64(tensor.bytes.count)
            members.append((tensor.name, .object([
                ("dtype", .string(tensor.dtype.safetensorsName)),
                ("shape", .array(tensor.shape.map { .integer(Int64($0)) })),
                ("data_offsets", .array([.integer(offset), .integer(end)])),
            ])))
            offset = end
        }
        var header = Array(JSONValue.object(members).serialized().utf8)
        // Pad with spaces so the data starts 8-byte aligned, as the reference writer does.
        while (8 + header.count) % 8 != 0 { header.append(0x20) }
        var out = [UInt8]()
        out.reserveCapacity(8 + header.count + Int(offset))
        let headerLength = UInt64(header.count)
        for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: headerLength >> (8 * UInt64(i)))) }
        out.append(contentsOf: header)
        for tensor in sorted { out.append(contentsOf: tensor.bytes) }
        return out
    }

    /// Decodes safetensors bytes, checking the header and that the tensors tile the data exactly.
    /// - Parameter file: the name used in errors.
    /// - Throws: ``CheckpointError/notACheckpoint(file:detail:)`` describing the first problem.
    public static func decode(_ bytes: [UInt8], file: String) throws -> Contents {
        func bad(_ detail: String) -> CheckpointError { .notACheckpoint(file: file, detail: "safetensors: \(detail)") }
        guard bytes.count >= 8 else { throw bad("file shorter than the 8-byte header length") }
        var headerLength: UInt64 = 0
        for i in 0..<8 { headerLength |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard headerLength <= UInt64(maxHeaderBytes), Int(headerLength) <= bytes.count - 8 else {
            throw bad("header length \(headerLength) exceeds the file (\(bytes.count) bytes)")
        }
        let dataStart = 8 + Int(headerLength)
        let header: JSONValue
        do { header = try JSONValue.parse(utf8: Array(bytes[8..<dataStart])) } catch {
            throw bad("header is not JSON (\(error))")
        }
        guard case .object(let members) = header else { throw bad("header is not a JSON object") }
        let dataCount = bytes.count - dataStart
        var metadata: [String: String] = [:]
        var entries: [(name: String, dtype: DType, shape: [Int], begin: Int, end: Int)] = []
        for (name, value) in members {
            if name == "__metadata__" {
                guard case .object(let pairs) = value else { throw bad("__metadata__ is not an object") }
                for (key, item) in pairs {
                    guard let text = item.stringValue else { throw bad("__metadata__.\(key) is not a string") }
                    metadata[key] = text
                }
                continue
            }
            guard let dtypeName = value["dtype"]?.stringValue else { throw bad("\(name): missing dtype") }
            let dtype: DType
            do { dtype = try DType(safetensorsName: dtypeName) } catch { throw bad("\(name): unsupported dtype \(dtypeName)") }
            guard case .array(let dims)? = value["shape"] else { throw bad("\(name): missing shape") }
            let shape = dims.compactMap(\.intValue)
            guard shape.count == dims.count, shape.allSatisfy({ $0 >= 0 }) else { throw bad("\(name): invalid shape") }
            guard case .array(let offsets)? = value["data_offsets"], offsets.count == 2,
                  let begin = offsets[0].intValue, let end = offsets[1].intValue,
                  0 <= begin, begin <= end, end <= dataCount else {
                throw bad("\(name): data_offsets missing or outside the data (\(dataCount) bytes)")
            }
            entries.append((name, dtype, shape, begin, end))
        }
        // The tensors must cover the data region exactly, without gaps or overlaps.
        var cursor = 0
        for entry in entries.sorted(by: { ($0.begin, $0.end) < ($1.begin, $1.end) }) {
            if entry.begin != cursor { throw bad("\(entry.name): data_offsets leave a gap or overlap at byte \(cursor)") }
            cursor = entry.end
        }
        if cursor != dataCount { throw bad("data region has \(dataCount - cursor) bytes not covered by any tensor") }
        var tensors: [NamedTensor] = []
        tensors.reserveCapacity(entries.count)
        for entry in entries {
            do {
                tensors.append(try NamedTensor(name: entry.name, dtype: entry.dtype, shape: entry.shape,
                                               bytes: Array(bytes[(dataStart + entry.begin)..<(dataStart + entry.end)])))
            } catch let error as ValidationError {
                throw bad("\(entry.name): \(error)")
            }
        }
        return Contents(tensors: tensors.sorted { $0.name < $1.name }, metadata: metadata)
    }
}
