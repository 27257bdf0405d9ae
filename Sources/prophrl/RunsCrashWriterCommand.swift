import ArgumentParser
import CheckpointSQLite
import Foundation
import ProphRLCore

/// `prophrl runs crash-writer` (hidden): saves large deterministic checkpoints in a loop until
/// killed. The crash-safety test kills it with SIGKILL at random moments and checks the file.
struct RunsCrashWriterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crash-writer",
        abstract: "Test helper: save deterministic checkpoints forever (for kill -9 tests).",
        shouldDisplay: false
    )

    @Option(help: "The run file to write (created if missing).")
    var db: String

    @Option(help: "Megabytes of tensors per checkpoint.")
    var megabytes: Int = 8

    @Option(help: "Stop after this many saves (0 = until killed).")
    var saves: Int = 0

    func validate() throws {
        if megabytes < 1 { throw ValidationError("--megabytes: expected >= 1, got \(megabytes)") }
        if saves < 0 { throw ValidationError("--saves: expected >= 0, got \(saves)") }
    }

    func run() throws {
        let store = try SQLiteCheckpointStore(path: db, mode: .openOrCreate, verify: false)
        if (try? store.runRecord()) == nil {
            try store.createRun(try RunRecord(kind: "crash-test", seed: 1, codeRevision: "test", blasThreads: 1,
                                              blasKernel: "none", created: "1970-01-01T00:00:00Z"))
        }
        let retention = try RetentionPolicy(keepLast: 3, keepBest: 1, metric: "loss", mode: .minimize)
        var step = (try store.list().last?.step ?? 0) + 1
        var done = 0
        while saves == 0 || done < saves {
            let checkpoint = try CrashTestCheckpoint.make(step: step, megabytes: megabytes)
            FileHandle.standardOutput.write(Data("saving \(step)\n".utf8))
            try store.save(checkpoint, retention: retention)
            try store.logMetrics(step: step, ["loss": CrashTestCheckpoint.loss(step: step)])
            // Unbuffered, so the parent reads every committed step before it kills us.
            FileHandle.standardOutput.write(Data("saved \(step)\n".utf8))
            step += 1
            done += 1
        }
    }
}

/// The deterministic content the crash writer saves: everything follows from the step, so a
/// checker can rebuild the expected checkpoint independently.
enum CrashTestCheckpoint {
    /// A loss that is not monotone in the step, so keep-best retention has work to do.
    static func loss(step: Int) -> Double { Double((step &* 7919) % 101) / 100 }

    /// Four tensors of `megabytes / 4` MiB each, filled from SplitMix64 seeded by step and index.
    static func make(step: Int, megabytes: Int) throws -> Checkpoint {
        let wordsPerTensor = megabytes * (1 << 20) / 4 / 8
        var tensors: [NamedTensor] = []
        for index in 0..<4 {
            var mixer = SplitMix64(state: UInt64(step) << 8 | UInt64(index))
            var bytes = [UInt8](repeating: 0, count: wordsPerTensor * 8)
            bytes.withUnsafeMutableBytes { raw in
                for i in 0..<wordsPerTensor { raw.storeBytes(of: mixer.next().littleEndian, toByteOffset: i * 8, as: UInt64.self) }
            }
            tensors.append(try NamedTensor(name: "layers.\(index).weight", dtype: .u8, shape: [bytes.count], bytes: bytes))
        }
        return try Checkpoint(step: step, wallTime: Double(step), metrics: ["loss": loss(step: step)], tags: ["crash-test"],
                              tensors: tensors, rngStates: ["main": SeededGenerator(seed: UInt64(step)).state])
    }
}
