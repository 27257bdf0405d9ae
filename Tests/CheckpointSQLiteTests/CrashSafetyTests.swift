import CheckpointSQLite
import Foundation
import ProphRLCore
import Testing

/// Kills a checkpoint-writing child process with SIGKILL at random (seeded) moments, many times,
/// and checks after each kill that the run file opens, passes `quick_check`, and that its latest
/// checkpoint is at least the last one the child reported committed and is bit-exact.
@Suite("Crash safety: kill -9 during saves", .serialized)
struct CrashSafetyTests {
    /// The `prophrl` executable next to this test bundle.
    static var binary: URL {
        var dir = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("prophrl")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/prophrl")
    }

    static let megabytes = 8

    /// The bytes the writer stores for tensor `index` of `step`, rebuilt here from the documented
    /// recipe (SplitMix64 seeded with `step << 8 | index`, little-endian words), not from its code.
    static func expectedBytes(step: Int, index: Int) -> [UInt8] {
        var mixer = SplitMix64(state: UInt64(step) << 8 | UInt64(index))
        let words = megabytes * (1 << 20) / 4 / 8
        let values = (0..<words).map { _ in mixer.next().littleEndian }
        return values.withUnsafeBytes { Array($0) }
    }

    /// Wall time of a writer from launch to the end of one committed save, on this machine, now.
    static func secondsToFirstSave(path: String) throws -> Double {
        let process = Process()
        process.executableURL = binary
        process.arguments = ["runs", "crash-writer", "--db", path, "--megabytes", String(megabytes), "--saves", "1"]
        process.standardOutput = FileHandle.nullDevice
        let start = Date()
        try process.run()
        process.waitUntilExit()
        return max(Date().timeIntervalSince(start), 0.05)
    }

    @Test("The run file survives SIGKILL at random points (20 kills; 200 with PROPHRL_LONG_TESTS=1)")
    func killDuringSaves() throws {
        let kills = ProcessInfo.processInfo.environment["PROPHRL_LONG_TESTS"] == "1" ? 200 : 20
        let dir = try TemporaryDirectory()
        let path = dir.path("crash.sqlite")
        var rng = SeededGenerator(seed: 2026)
        var highestReported = 0
        var killsAfterProgress = 0
        var killsDuringSave = 0
        let firstSave = try Self.secondsToFirstSave(path: dir.path("calibration.sqlite"))
        for kill in 0..<kills {
            let process = Process()
            process.executableURL = Self.binary
            process.arguments = ["runs", "crash-writer", "--db", path, "--megabytes", String(Self.megabytes)]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            // A seeded delay from 0.2 to 2.5 times the calibrated time to a first commit: kills land in
            // start-up, tensor generation, mid-transaction, commit, WAL checkpoint and retention alike, however
            // fast or loaded the machine is.
            let delay = firstSave * (0.2 + 2.3 * rng.nextUniform())
            Thread.sleep(forTimeInterval: delay)
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationReason == .uncaughtSignal, "kill \(kill): writer exited by itself: \(output)")
            let reported = output.split(separator: "\n").compactMap { line in
                line.hasPrefix("saved ") ? Int(line.dropFirst(6)) : nil
            }
            if let last = reported.last {
                highestReported = max(highestReported, last)
                killsAfterProgress += 1
            }
            // Killed between "saving N" and "saved N": inside the save transaction or its retention.
            if output.split(separator: "\n").last?.hasPrefix("saving ") == true { killsDuringSave += 1 }

            // The file opens writable (recovering the WAL), passes quick_check, and its newest
            // checkpoint is whole: every tensor's checksum verifies and its bytes are the expected ones.
            // A kill during start-up (slow on a loaded machine) can land before the file or its schema exists;
            // that is only acceptable while nothing has been reported committed.
            let store: SQLiteCheckpointStore
            do {
                store = try SQLiteCheckpointStore(path: path, mode: .open, verify: true)
            } catch {
                #expect(highestReported == 0, "kill \(kill): \(error) after step \(highestReported) was reported")
                continue
            }
            guard let latest = try store.latest() else {
                #expect(highestReported == 0, "kill \(kill): no checkpoint although step \(highestReported) was reported")
                continue
            }
            #expect(latest.step >= highestReported, "kill \(kill): latest \(latest.step) < reported \(highestReported)")
            #expect(latest.tensors.map(\.name) == (0..<4).map { "layers.\($0).weight" })
            for (index, tensor) in latest.tensors.enumerated() {
                #expect(tensor.bytes == Self.expectedBytes(step: latest.step, index: index), "kill \(kill): tensor \(index)")
            }
            #expect(latest.rngStates["main"] == SeededGenerator(seed: UInt64(latest.step)).state)
            // Every listed checkpoint is a whole one, and retention (last 3 + best 1) commits with the save,
            // so no kill ever leaves more than 4.
            let listed = try store.list()
            #expect(listed.count <= 4, "kill \(kill): \(listed.map(\.step))")
            #expect(listed.allSatisfy { $0.byteCount == Self.megabytes << 20 })
        }
        #expect(highestReported > 0, "the writer never committed a checkpoint; the test exercised nothing")
        #expect(killsAfterProgress >= kills / 4)
        #expect(killsDuringSave >= 1, "no kill landed inside a save; the delays do not cover the save window")
        print("crash test: \(kills) kills, \(killsDuringSave) inside a save, highest committed step \(highestReported), "
              + "first save after \(firstSave) s")
    }
}
