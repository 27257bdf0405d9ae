import CheckpointSQLite
import Foundation
import ProphRLCore
import ProphRLTesting

/// A fresh temporary directory, removed when the value is deinitialised.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("prophrl-ckpt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// The adapters the contract suite runs against.
enum StoreKind: String, CaseIterable {
    case memory
    case sqlite

    /// A fresh, empty store of this kind (the directory must outlive it).
    func make(in directory: TemporaryDirectory) throws -> any CheckpointStore {
        switch self {
        case .memory: return InMemoryCheckpointStore(label: "memory")
        case .sqlite: return try SQLiteCheckpointStore(path: directory.path("run.sqlite"), mode: .create)
        }
    }
}


/// Fixtures shared by the suites.
enum Fixtures {
    static func run(kind: String = "toy") throws -> RunRecord {
        try RunRecord(kind: kind, configJSON: #"{"lr":0.05,"momentum":0.9,"name":"toy \"quadratic\""}"#, seed: 0xFFFF_FFFF_FFFF_FFF0,
                      codeRevision: "abc123", blasThreads: 1, blasKernel: "Haswell", created: "2026-11-25T08:00:00Z")
    }

    /// A checkpoint whose tensors are filled deterministically from `step` (so a reader can rebuild
    /// the expected bytes from the step alone).
    static func checkpoint(step: Int, bytesPerTensor: Int = 64, tensorCount: Int = 3, loss: Double? = nil,
                           tags: [String] = []) throws -> Checkpoint {
        var rng = SeededGenerator(seed: UInt64(step) &* 7919 &+ 1)
        var tensors: [NamedTensor] = []
        for i in 0..<tensorCount {
            let floats = (0..<(bytesPerTensor / 4)).map { _ in Float(rng.nextGaussian()) }
            tensors.append(try NamedTensor(name: "blocks.\(i).weight", values: floats, shape: [floats.count]))
        }
        let momentum = try NamedTensor(name: "sgd.momentum.blocks.0.weight", values: (0..<4).map { Double($0) + Double(step) }, shape: [2, 2])
        return try Checkpoint(step: step, wallTime: 1_764_000_000 + Double(step), metrics: loss.map { ["loss": $0] } ?? [:],
                              tags: tags, tensors: tensors, optimizerState: [momentum],
                              rngStates: ["sampler": rng.state, "env": SeededGenerator(seed: UInt64(step)).state])
    }
}
