import ProphRLCore
import Testing

/// Random bytes for a tensor of `dtype` and `shape` (bool tensors get 0/1 bytes).
func randomTensor(_ name: String, _ dtype: DType, _ shape: [Int], _ rng: inout SeededGenerator) throws -> NamedTensor {
    let count = shape.reduce(1, *) * dtype.byteSize
    let bytes = (0..<count).map { _ in dtype == .bool ? UInt8(rng.next() & 1) : UInt8(truncatingIfNeeded: rng.next()) }
    return try NamedTensor(name: name, dtype: dtype, shape: shape, bytes: bytes)
}

@Suite("Safetensors codec")
struct SafetensorsTests {
    static let shapes: [[Int]] = [[], [0], [1], [7], [3, 5], [2, 0, 4], [2, 3, 4, 5]]

    @Test("Every dtype and shape round-trips bit for bit", arguments: DType.allCases)
    func roundTrip(dtype: DType) throws {
        var rng = SeededGenerator(seed: 11)
        let tensors = try Self.shapes.enumerated().map { i, shape in
            try randomTensor("layer.\(i).weight", dtype, shape, &rng)
        }
        let bytes = try Safetensors.encode(tensors, metadata: ["format": "pt", "step": "3"])
        let back = try Safetensors.decode(bytes, file: "mem")
        #expect(back.tensors == tensors.sorted { $0.name < $1.name })
        #expect(back.metadata == ["format": "pt", "step": "3"])
        // The data starts 8-byte aligned, as the reference writer requires of itself.
        var headerLength = 0
        for i in 0..<8 { headerLength |= Int(bytes[i]) << (8 * i) }
        #expect((8 + headerLength) % 8 == 0)
    }

    @Test("The header follows the published layout: lengths, dtype names, offsets")
    func headerLayout() throws {
        let a = try NamedTensor(name: "a", values: [Float(1), 2, 3], shape: [3])
        let b = try NamedTensor(name: "b.c", dtype: .bf16, shape: [2], bytes: [0, 0x3F, 0x80, 0x3F])
        let bytes = try Safetensors.encode([b, a])
        var headerLength = 0
        for i in 0..<8 { headerLength |= Int(bytes[i]) << (8 * i) }
        let header = try JSONValue.parse(utf8: Array(bytes[8..<(8 + headerLength)]))
        #expect(header["a"]?["dtype"] == .string("F32"))
        #expect(header["a"]?["data_offsets"] == .array([.integer(0), .integer(12)]))
        #expect(header["b.c"]?["dtype"] == .string("BF16"))
        #expect(header["b.c"]?["data_offsets"] == .array([.integer(12), .integer(16)]))
        #expect(Array(bytes[(8 + headerLength)...]) == a.bytes + b.bytes)
        #expect(bytes.count == 8 + headerLength + 16)
    }

    @Test("Malformed files give notACheckpoint naming the file")
    func malformed() throws {
        let good = try Safetensors.encode([try NamedTensor(name: "w", values: [Float(1), 2], shape: [2])])
        var cases: [[UInt8]] = [[1, 2, 3], [255, 255, 255, 255, 0, 0, 0, 0] + [UInt8](repeating: 32, count: 8)]
        cases.append(Array(good.dropLast()))                   // data shorter than the offsets
        cases.append(good + [0])                               // a byte no tensor covers
        var badJSON = good
        badJSON[8] = UInt8(ascii: "[")
        cases.append(badJSON)
        for bytes in cases {
            #expect(throws: CheckpointError.self) { _ = try Safetensors.decode(bytes, file: "x.safetensors") }
            do { _ = try Safetensors.decode(bytes, file: "x.safetensors") } catch let error as CheckpointError {
                #expect(error.file == "x.safetensors")
                #expect(error.description.hasPrefix("x.safetensors: not a ProphRL checkpoint"))
            }
        }
    }

    @Test("Duplicate names are rejected on encode")
    func duplicates() throws {
        let t = try NamedTensor(name: "w", values: [Float(1)], shape: [1])
        #expect(throws: ValidationError.self) { _ = try Safetensors.encode([t, t]) }
    }
}

@Suite("NamedTensor and DType")
struct NamedTensorTests {
    @Test("Byte sizes and safetensors names are the published ones")
    func dtypeTable() throws {
        let expected: [DType: (Int, String)] = [.f32: (4, "F32"), .f64: (8, "F64"), .f16: (2, "F16"), .bf16: (2, "BF16"),
                                                .i64: (8, "I64"), .i32: (4, "I32"), .u8: (1, "U8"), .bool: (1, "BOOL")]
        for dtype in DType.allCases {
            #expect(dtype.byteSize == expected[dtype]?.0)
            #expect(dtype.safetensorsName == expected[dtype]?.1)
            #expect(try DType(safetensorsName: dtype.safetensorsName) == dtype)
            #expect(try DType(storageName: dtype.rawValue) == dtype)
        }
        #expect(throws: ValidationError.self) { _ = try DType(safetensorsName: "F8_E4M3") }
    }

    @Test("Float values are stored little-endian and read back")
    func floats() throws {
        let t = try NamedTensor(name: "w", values: [Float(1), -2.5], shape: [2])
        #expect(t.bytes == [0, 0, 0x80, 0x3F, 0, 0, 0x20, 0xC0])
        #expect(try t.floats() == [1, -2.5])
        let d = try NamedTensor(name: "d", values: [Double.pi], shape: [])
        #expect(try d.doubles() == [Double.pi])
        #expect(throws: ValidationError.self) { _ = try d.floats() }
    }

    @Test("Invalid names, shapes and byte counts are typed errors naming the argument")
    func validation() throws {
        for name in ["", "a..b", ".a", "a.", "__metadata__", "a\nb"] {
            #expect(throws: ValidationError.self) { _ = try NamedTensor(name: name, dtype: .u8, shape: [], bytes: [0]) }
        }
        #expect(throws: ValidationError.shapeMismatch(argument: "bytes of w", expected: "8 bytes for f32 [2]",
                                                      actual: "7 bytes")) {
            _ = try NamedTensor(name: "w", dtype: .f32, shape: [2], bytes: [UInt8](repeating: 0, count: 7))
        }
        #expect(throws: ValidationError.self) { _ = try NamedTensor(name: "w", dtype: .u8, shape: [-1], bytes: []) }
        #expect(throws: ValidationError.self) {
            _ = try NamedTensor(name: "w", dtype: .f64, shape: [Int.max, 2], bytes: [])
        }
    }
}
