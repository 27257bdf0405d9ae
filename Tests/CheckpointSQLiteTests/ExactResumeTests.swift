import CheckpointSQLite
import ProphRLCore
import ProphRLTesting
import Testing

/// A toy trainer: SGD with momentum on a noisy quadratic, in Float, with parameters and momentum
/// as named tensors and a seeded generator for the gradient noise: the state a checkpoint must
/// carry for a bit-exact resume.
struct ToyTrainer {
    static let dimension = 33
    var step = 0
    var weights: [Float]
    var bias: [Float]
    var momentumWeights: [Float]
    var momentumBias: [Float]
    var rng: SeededGenerator
    let target: [Float]
    let learningRate: Float = 0.05
    let momentum: Float = 0.9

    init(seed: UInt64) {
        let rng = SeededGenerator(seed: seed)
        var setup = rng.fork(1)
        target = (0..<Self.dimension).map { _ in Float(setup.nextGaussian()) }
        weights = (0..<Self.dimension).map { _ in Float(setup.nextGaussian()) }
        bias = [0]
        momentumWeights = Array(repeating: 0, count: Self.dimension)
        momentumBias = [0]
        self.rng = rng
    }

    /// Loss ½‖w − target‖² + ½ b², gradient perturbed by seeded Gaussian noise.
    mutating func advance() {
        for i in weights.indices {
            let gradient = (weights[i] - target[i]) + 0.1 * Float(rng.nextGaussian())
            momentumWeights[i] = momentum * momentumWeights[i] + gradient
            weights[i] -= learningRate * momentumWeights[i]
        }
        let biasGradient = bias[0] + 0.1 * Float(rng.nextGaussian())
        momentumBias[0] = momentum * momentumBias[0] + biasGradient
        bias[0] -= learningRate * momentumBias[0]
        step += 1
    }

    var loss: Double { Double(zip(weights, target).reduce(Float(0)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / 2 + bias[0] * bias[0] / 2) }

    func checkpoint() throws -> Checkpoint {
        try Checkpoint(step: step, wallTime: Double(step), metrics: ["loss": loss],
                       tensors: [try NamedTensor(name: "toy.weight", values: weights, shape: [Self.dimension]),
                                 try NamedTensor(name: "toy.bias", values: bias, shape: [])],
                       optimizerState: [try NamedTensor(name: "sgd.momentum.toy.weight", values: momentumWeights, shape: [Self.dimension]),
                                        try NamedTensor(name: "sgd.momentum.toy.bias", values: momentumBias, shape: [])],
                       rngStates: ["gradient-noise": rng.state])
    }

    /// Restores every piece of state from `checkpoint` (the target is rebuilt from the run seed).
    init(seed: UInt64, resumingFrom checkpoint: Checkpoint, restoreRNG: Bool = true) throws {
        self.init(seed: seed)
        step = checkpoint.step
        weights = try checkpoint.tensor("toy.weight").floats()
        bias = try checkpoint.tensor("toy.bias").floats()
        let optimizer = Dictionary(uniqueKeysWithValues: checkpoint.optimizerState.map { ($0.name, $0) })
        guard let mw = optimizer["sgd.momentum.toy.weight"], let mb = optimizer["sgd.momentum.toy.bias"],
              let state = checkpoint.rngStates["gradient-noise"] else {
            throw CheckpointError.missingTensor(file: "", step: checkpoint.step, name: "sgd.momentum.*")
        }
        momentumWeights = try mw.floats()
        momentumBias = try mb.floats()
        if restoreRNG { rng = try SeededGenerator(state: state) }
    }
}

@Suite("Exact resume")
struct ExactResumeTests {
    static let seed: UInt64 = 77

    @Test("Resuming from step N and training to M is bit-identical to an uninterrupted run", arguments: StoreKind.allCases)
    func resumeIsBitExact(kind: StoreKind) throws {
        var uninterrupted = ToyTrainer(seed: Self.seed)
        for _ in 0..<200 { uninterrupted.advance() }
        let reference = try uninterrupted.checkpoint()

        let dir = try TemporaryDirectory()
        var first = ToyTrainer(seed: Self.seed)
        do {
            let store = try kind.make(in: dir)
            try store.createRun(try Fixtures.run())
            for _ in 0..<120 {
                first.advance()
                if first.step % 40 == 0 { try store.save(try first.checkpoint(), retention: try RetentionPolicy(keepLast: 2)) }
            }
            // A second "process": a new store on the same file (the fake keeps its state in the object).
            let reopened: any CheckpointStore = kind == .sqlite ? try SQLiteCheckpointStore(path: store.location, mode: .open) : store
            guard let saved = try reopened.latest() else { Issue.record("no checkpoint"); return }
            #expect(saved.step == 120)
            var resumed = try ToyTrainer(seed: Self.seed, resumingFrom: saved)
            while resumed.step < 200 { resumed.advance() }
            let final = try resumed.checkpoint()
            // Bit-identical: raw bytes of parameters and optimizer state, and the RNG state.
            #expect(final.tensors == reference.tensors)
            #expect(final.optimizerState == reference.optimizerState)
            #expect(final.rngStates == reference.rngStates)

            // Negative control: the same resume without restoring the RNG diverges, so the test can fail.
            var careless = try ToyTrainer(seed: Self.seed, resumingFrom: saved, restoreRNG: false)
            while careless.step < 200 { careless.advance() }
            #expect(try careless.checkpoint().tensors != reference.tensors)
        }
    }
}
