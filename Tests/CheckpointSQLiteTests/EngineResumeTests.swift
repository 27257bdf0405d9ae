import CheckpointSQLite
import Foundation
import ProphRLCore
import TensorEngine
import Testing

/// Exact resume with the real tensor engine: an MLP trained by AdamW on seeded mini-batches, its
/// `parameters()` (dotted keys) and `stateTensors()` stored as a checkpoint in SQLite.
@Suite("Exact resume with the tensor engine", .serialized)
struct EngineResumeTests {
    /// Model, optimizer and data generator: the whole training state.
    final class Trainer {
        let model: MLP
        let optimizer = AdamW(learningRate: 1e-2, weightDecay: 0.01)
        var data: SeededGenerator
        var step = 0

        init(initSeed: UInt64, dataSeed: UInt64) throws {
            var rng = SeededGenerator(seed: initSeed)
            model = try MLP([4, 16, 16, 3], activation: .silu, rng: &rng)
            data = SeededGenerator(seed: dataSeed)
        }

        /// One AdamW step on a fresh mini-batch of y = sin(Ax) drawn from `data`.
        func advance() throws {
            let x = (0..<(8 * 4)).map { _ in Float(data.nextGaussian()) }
            let y = (0..<8).flatMap { row in (0..<3).map { j in sinf(x[row * 4 + j] + 0.5 * x[row * 4 + j + 1]) } }
            let input = try Tensor(x, shape: [8, 4]), target = try Tensor(y, shape: [8, 3])
            let (_, gradients) = try valueAndGrad(model) { m in try m(input).mseLoss(target) }
            try optimizer.update(model, gradients: gradients)
            step += 1
        }

        func checkpoint() throws -> Checkpoint {
            try Checkpoint(step: step, wallTime: Double(step),
                           tensors: model.parameters().map { try NamedTensor(name: $0.key, values: $0.value.scalars, shape: $0.value.shape) },
                           optimizerState: optimizer.stateTensors().map {
                               try NamedTensor(name: "adamw.\($0.key)", values: $0.value.scalars, shape: $0.value.shape)
                           },
                           rngStates: ["data": data.state])
        }

        func restore(_ checkpoint: Checkpoint) throws {
            let parameters = try Dictionary(uniqueKeysWithValues: checkpoint.tensors.map { ($0.name, try Tensor($0.floats(), shape: $0.shape)) })
            try model.update(parameters: parameters, strict: true)
            try optimizer.loadState(Dictionary(uniqueKeysWithValues: checkpoint.optimizerState.map {
                (String($0.name.dropFirst("adamw.".count)), try Tensor($0.floats(), shape: $0.shape))
            }))
            guard let state = checkpoint.rngStates["data"] else {
                throw CheckpointError.missingTensor(file: "", step: checkpoint.step, name: "rng data")
            }
            data = try SeededGenerator(state: state)
            step = checkpoint.step
        }
    }

    @Test("Stop at step 12, reopen the file, resume to 30: parameters and AdamW moments are bit-identical")
    func resumeIsBitExact() throws {
        let uninterrupted = try Trainer(initSeed: 1, dataSeed: 2)
        for _ in 0..<30 { try uninterrupted.advance() }
        let reference = try uninterrupted.checkpoint()

        let dir = try TemporaryDirectory()
        let path = dir.path("mlp.sqlite")
        do {
            let first = try Trainer(initSeed: 1, dataSeed: 2)
            let store = try SQLiteCheckpointStore(path: path, mode: .create)
            try store.createRun(try Fixtures.run(kind: "mlp-toy"))
            for _ in 0..<12 { try first.advance() }
            try store.save(try first.checkpoint())
        }
        // A new "process": different initial weights and data seed, everything restored from the file.
        let store = try SQLiteCheckpointStore(path: path, mode: .open)
        let resumed = try Trainer(initSeed: 99, dataSeed: 98)
        guard let saved = try store.latest() else { Issue.record("no checkpoint"); return }
        try resumed.restore(saved)
        while resumed.step < 30 { try resumed.advance() }
        let final = try resumed.checkpoint()
        #expect(final.tensors.map(\.name) == ["layers.0.bias", "layers.0.weight", "layers.1.bias", "layers.1.weight",
                                              "layers.2.bias", "layers.2.weight"])
        #expect(final.tensors == reference.tensors)             // raw bytes: bit-identical
        #expect(final.optimizerState == reference.optimizerState)
        #expect(final.rngStates == reference.rngStates)

        // Negative control: restoring everything but the optimizer moments diverges.
        let careless = try Trainer(initSeed: 1, dataSeed: 2)
        try careless.restore(saved)
        try careless.optimizer.loadState(["step": Tensor(scalar: 12)])
        while careless.step < 30 { try careless.advance() }
        #expect(try careless.checkpoint().tensors != reference.tensors)
    }
}
