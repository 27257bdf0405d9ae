// CheckpointBench: saving and loading a 100 MiB parameter set through the SQLite checkpoint store,
// against writing and reading the same bytes to a plain file. Both sides fsync on write; reads
// come from the page cache on both sides (the machine is shared, so caches are not dropped).
//
//   swift run -c release CheckpointBench [--megabytes 100] [--repetitions 7] [--dir /tmp]
import CheckpointSQLite
import Foundation
import ProphRLCore

struct Options {
    var megabytes = 100
    var repetitions = 7
    var directory = NSTemporaryDirectory()

    init(arguments: [String]) throws {
        var iterator = arguments.dropFirst().makeIterator()
        while let flag = iterator.next() {
            guard let value = iterator.next() else { throw BenchError("\(flag): missing value") }
            switch flag {
            case "--megabytes": megabytes = try Self.positive(value, flag)
            case "--repetitions": repetitions = try Self.positive(value, flag)
            case "--dir": directory = value
            default: throw BenchError("unknown option \(flag); expected --megabytes, --repetitions, --dir")
            }
        }
    }

    static func positive(_ text: String, _ flag: String) throws -> Int {
        guard let value = Int(text), value > 0 else { throw BenchError("\(flag): expected a positive integer, got \(text)") }
        return value
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// A transformer-like parameter set: a few large matrices and many small vectors, `megabytes` MiB in all.
func parameterSet(megabytes: Int) throws -> [NamedTensor] {
    var rng = SeededGenerator(seed: 1)
    var remaining = megabytes << 20
    var tensors: [NamedTensor] = []
    var block = 0
    while remaining > 0 {
        for (suffix, size) in [("attn.qkv.weight", 3 << 20), ("attn.out.weight", 1 << 20), ("mlp.fc1.weight", 4 << 20),
                               ("mlp.fc2.weight", 4 << 20), ("norm.weight", 4096), ("norm.bias", 4096)] where remaining > 0 {
            let bytes = min(size, remaining)
            var data = [UInt8](repeating: 0, count: bytes)
            data.withUnsafeMutableBytes { raw in
                for i in stride(from: 0, to: bytes - 7, by: 8) { raw.storeBytes(of: rng.next(), toByteOffset: i, as: UInt64.self) }
            }
            tensors.append(try NamedTensor(name: "blocks.\(block).\(suffix)", dtype: .u8, shape: [bytes], bytes: data))
            remaining -= bytes
        }
        block += 1
    }
    return tensors
}

func writePlain(_ tensors: [NamedTensor], to path: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw BenchError("\(path): cannot create") }
    defer { close(fd) }
    for tensor in tensors {
        try tensor.bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let count = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if count <= 0 { throw BenchError("\(path): write failed") }
                offset += count
            }
        }
    }
    guard fsync(fd) == 0 else { throw BenchError("\(path): fsync failed") }
}

func readPlain(_ sizes: [Int], from path: String) throws -> [[UInt8]] {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw BenchError("\(path): cannot open") }
    defer { close(fd) }
    return try sizes.map { size in
        try [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var offset = 0
            while offset < size {
                let count = read(fd, buffer.baseAddress! + offset, size - offset)
                if count <= 0 { throw BenchError("\(path): short read") }
                offset += count
            }
            initialized = size
        }
    }
}

let options = try Options(arguments: CommandLine.arguments)
let tensors = try parameterSet(megabytes: options.megabytes)
let totalBytes = tensors.reduce(0) { $0 + $1.bytes.count }
let dir = (options.directory as NSString).appendingPathComponent("checkpoint-bench-\(getpid())")
try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: dir) }
let plainPath = (dir as NSString).appendingPathComponent("params.bin")
let dbPath = (dir as NSString).appendingPathComponent("run.sqlite")

let policy: SQLiteCheckpointStore.WALCheckpointing = switch ProcessInfo.processInfo.environment["BENCH_WAL"] ?? "background" {
case "automatic": .automatic
case "manual": .manual
default: .background
}
let store = try SQLiteCheckpointStore(path: dbPath, mode: .create, walCheckpointing: policy)
try store.createRun(try RunRecord(kind: "bench", seed: 1, codeRevision: "bench", blasThreads: 1, blasKernel: "none",
                                  created: "1970-01-01T00:00:00Z"))
// Steady state of a training run: keep the last checkpoint, so each save reuses freed pages.
let retention: RetentionPolicy? = ProcessInfo.processInfo.environment["BENCH_NO_RETENTION"] == "1" ? nil : try RetentionPolicy(keepLast: 1)
var plainWrite: [Double] = [], plainRead: [Double] = [], sqliteSave: [Double] = [], sqliteLoad: [Double] = []
var checksum: [Double] = [], walCopy: [Double] = []
for repetition in 0...options.repetitions {
    let checkpoint = try Checkpoint(step: repetition, wallTime: 0, metrics: ["loss": 1], tensors: tensors)
    let w = try seconds { try writePlain(tensors, to: plainPath) }
    let r = try seconds { _ = try readPlain(checkpoint.tensors.map(\.bytes.count), from: plainPath) }
    let s = try seconds { try store.save(checkpoint, retention: retention) }
    // The rest of the second write (WAL -> database), which the background mode overlaps with training.
    let c = try seconds { try store.checkpointWAL() }
    var loaded: Checkpoint?
    let l = try seconds { loaded = try store.load(step: repetition) }
    var digest: UInt64 = 0
    let h = seconds { for tensor in tensors { digest ^= XXHash64.hash(tensor.bytes) } }
    if digest == 42 { print("(unlikely digest)") }
    guard loaded == checkpoint else { throw BenchError("loaded checkpoint differs from the saved one") }
    if repetition == 0 { continue }   // warm-up
    plainWrite.append(w); plainRead.append(r); sqliteSave.append(s); sqliteLoad.append(l); checksum.append(h)
    walCopy.append(c)
}
let mib = Double(totalBytes) / Double(1 << 20)
func row(_ name: String, _ samples: [Double]) -> String {
    let m = median(samples)
    return "\(name.padding(toLength: 34, withPad: " ", startingAt: 0)) median \(String(format: "%7.1f", m * 1000)) ms  "
        + "(\(String(format: "%6.0f", mib / m)) MiB/s; min \(String(format: "%.1f", (samples.min() ?? 0) * 1000)), "
        + "max \(String(format: "%.1f", (samples.max() ?? 0) * 1000)))"
}
print("CheckpointBench: \(tensors.count) tensors, \(String(format: "%.1f", mib)) MiB, \(options.repetitions) repetitions after 1 warm-up, "
      + "WAL checkpointing \(policy)")
print(row("plain file write + fsync", plainWrite))
print(row("SQLite save (checksums, WAL, FULL)", sqliteSave))
print(row("  then finishing the WAL copy", walCopy))
print(row("plain file read", plainRead))
print(row("SQLite load (checksums verified)", sqliteLoad))
print(row("XXH64 of all tensors (in both)", checksum))
let total = zip(sqliteSave, walCopy).map { $0 + $1 }
print(String(format: "ratio save/write = %.2f, (save + WAL copy)/write = %.2f, load/read = %.2f (target <= 2)",
             median(sqliteSave) / median(plainWrite), median(total) / median(plainWrite), median(sqliteLoad) / median(plainRead)))
