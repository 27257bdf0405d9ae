import CheckpointSQLite
import Foundation
import ProphRLCore
import Testing

/// Python peers for interop tests: `python3` with the `safetensors` and `numpy` packages.
enum PythonPeers {
    /// Whether `PROPHRL_REQUIRE_PEERS=1` demands the peers (then a missing one fails the test).
    static let required = ProcessInfo.processInfo.environment["PROPHRL_REQUIRE_PEERS"] == "1"

    /// Whether `python3 -c "import safetensors, numpy"` succeeds.
    static let available: Bool = (try? run(["-c", "import safetensors, numpy"]).status) == 0

    /// Runs python3 with `arguments`, returning its exit status and combined output.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

@Suite("Safetensors interop with Python")
struct SafetensorsInteropTests {
    /// Reads our export with Python's `safetensors` (numpy backend), checks names, dtypes, shapes and
    /// values, then writes the tensors back with `safetensors.numpy.save_file` for us to read.
    static let script = #"""
    import json, struct, sys
    import numpy as np
    from safetensors import safe_open
    from safetensors.numpy import save_file
    src, dst = sys.argv[1], sys.argv[2]
    report, out = {}, {}
    with safe_open(src, framework="numpy") as f:
        meta = f.metadata()
        for name in f.keys():
            if name.startswith("bf16."):
                continue  # numpy has no bfloat16; checked from the raw header below
            t = f.get_tensor(name)
            report[name] = [str(t.dtype), list(t.shape)]
            out[name] = t
    with open(src, "rb") as fh:
        n = struct.unpack("<Q", fh.read(8))[0]
        header = json.loads(fh.read(n))
    for name, entry in header.items():
        if name.startswith("bf16."):
            report[name] = [entry["dtype"], entry["shape"]]
    report["__sum_f32__"] = float(out["f32.values"].astype(np.float64).sum())
    report["__metadata__"] = meta
    save_file(out, dst, metadata={"written_by": "python"})
    print(json.dumps(report, sort_keys=True))
    """#

    @Test("prophrl runs export is read by Python's safetensors; Python's file is read back by us",
          .enabled(if: PythonPeers.available || PythonPeers.required,
                   "skipped: python3 with safetensors and numpy not found (make deps installs them; PROPHRL_REQUIRE_PEERS=1 makes this a failure)"))
    func pythonReadsOurExport() throws {
        guard PythonPeers.available else {
            Issue.record("PROPHRL_REQUIRE_PEERS=1 but python3 with safetensors and numpy is missing (run make deps)")
            return
        }
        let dir = try TemporaryDirectory()
        let run = dir.path("run.sqlite")
        var rng = SeededGenerator(seed: 21)
        var tensors: [NamedTensor] = []
        let numpyNames: [DType: String] = [.f32: "float32", .f64: "float64", .f16: "float16", .i64: "int64", .i32: "int32",
                                           .u8: "uint8", .bool: "bool"]
        for dtype in DType.allCases {
            let shape = [2, 3, 4]
            let count = 24 * dtype.byteSize
            var bytes = (0..<count).map { _ in dtype == .bool ? UInt8(rng.next() & 1) : UInt8(truncatingIfNeeded: rng.next()) }
            if dtype == .f16 { for i in stride(from: 1, to: count, by: 2) { bytes[i] &= 0x3B } }   // finite halves
            tensors.append(try NamedTensor(name: "\(dtype.rawValue).blocks.0.weight", dtype: dtype, shape: shape, bytes: bytes))
        }
        let values = (0..<10).map { Float($0) * 0.25 - 1 }
        tensors.append(try NamedTensor(name: "f32.values", values: values, shape: [10]))
        let store = try SQLiteCheckpointStore(path: run, mode: .create)
        try store.createRun(try Fixtures.run())
        try store.save(try Checkpoint(step: 5, wallTime: 0, metrics: ["loss": 0.5], tensors: tensors))

        let exported = dir.path("weights.safetensors")
        let cli = Process()
        cli.executableURL = CrashSafetyTests.binary
        cli.arguments = ["runs", "export", run, "--step", "5", "--out", exported]
        try cli.run()
        cli.waitUntilExit()
        #expect(cli.terminationStatus == 0)

        let back = dir.path("python.safetensors")
        let (status, output) = try PythonPeers.run(["-c", Self.script, exported, back])
        #expect(status == 0, "python failed: \(output)")
        guard status == 0, case .object(let members) = try JSONValue.parse(output) else { return }
        let report = Dictionary(members, uniquingKeysWith: { a, _ in a })
        for tensor in tensors {
            let expectedDType: JSONValue = tensor.dtype == .bf16 ? .string("BF16") : .string(numpyNames[tensor.dtype] ?? "?")
            #expect(report[tensor.name] == .array([expectedDType, .array(tensor.shape.map { .integer(Int64($0)) })]), "\(tensor.name)")
        }
        #expect(report["__sum_f32__"]?.doubleValue == values.reduce(0) { $0 + Double($1) })
        #expect(report["__metadata__"]?["prophrl.step"] == .string("5"))
        #expect(report["__metadata__"]?["prophrl.kind"] == .string("toy"))

        // Python's own writer: every non-bf16 tensor comes back bit for bit.
        let python = try Safetensors.decode([UInt8](Data(contentsOf: URL(fileURLWithPath: back))), file: back)
        #expect(python.tensors == tensors.filter { $0.dtype != .bf16 }.sorted { $0.name < $1.name })
        #expect(python.metadata == ["written_by": "python"])
    }
}
