import ProphRLCore
import ProphetDiT
import TensorEngine
import Testing

/// Shared helpers for the DiT tests.
enum DiTFixture {
    static let config = ProphetConfiguration.tiny

    /// Adds N(0, 0.1²) to every parameter so zero-initialised outputs do not hide paths.
    static func perturb(_ module: Module, seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        for (_, slot) in module.namedParameterSlots() {
            slot.value = try slot.value + Tensor.normal(slot.value.shape, std: 0.1, using: &rng)
        }
    }

    static func batch(seed: UInt64, batch b: Int = 2, config: ProphetConfiguration = config) throws -> RectifiedFlow.Batch {
        var rng = SeededGenerator(seed: seed)
        let shape = [b, config.latentFrames, config.latentHeight, config.latentWidth, config.latentChannels]
        return RectifiedFlow.Batch(latents: try Tensor.normal(shape, using: &rng),
                                   actions: try Tensor.normal([b, config.chunkFrames * config.actionDimension], using: &rng),
                                   history: try Tensor.normal([b, 15] + Array(shape[2...]), using: &rng))
    }

    static func call(_ model: ProphetDenoiser, _ batch: RectifiedFlow.Batch, actions: Tensor? = nil, history: Tensor?? = nil) throws -> Tensor {
        let b = batch.latents.shape[0], f = batch.latents.shape[1]
        return try model(latent: batch.latents, timesteps: Tensor.full([b, f], value: 0.5), actions: actions ?? batch.actions,
                         history: history ?? batch.history)
    }
}

@Suite("Prophet DiT denoiser")
struct DenoiserTests {
    @Test("starts as zero velocity (zero final layer) with the latent's shape")
    func shapesAndZeroInit() throws {
        var rng = SeededGenerator(seed: 1)
        let model = try ProphetDenoiser(configuration: DiTFixture.config, rng: &rng)
        let batch = try DiTFixture.batch(seed: 2)
        let out = try noGrad { try DiTFixture.call(model, batch) }
        #expect(out.shape == batch.latents.shape)
        #expect(out.scalars.allSatisfy { $0 == 0 })
    }

    @Test("actions change the output with action conditioning and do nothing without it")
    func actionConditioningSwitch() throws {
        for enabled in [true, false] {
            var config = DiTFixture.config
            config.actionConditioning = enabled
            var rng = SeededGenerator(seed: 3)
            let model = try ProphetDenoiser(configuration: config, rng: &rng)
            try DiTFixture.perturb(model, seed: 4)
            let batch = try DiTFixture.batch(seed: 5, config: config)
            let a = try noGrad { try DiTFixture.call(model, batch) }
            let b = try noGrad { try DiTFixture.call(model, batch, actions: batch.actions * -1) }
            let difference = zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? 0
            if enabled { #expect(difference > 1e-3) } else { #expect(difference == 0) }
        }
    }

    @Test("memory path: zero and absent history give finite outputs; history changes the output; gradients reach the memory projections")
    func memoryPath() throws {
        var rng = SeededGenerator(seed: 6)
        let model = try ProphetDenoiser(configuration: DiTFixture.config, rng: &rng)
        try DiTFixture.perturb(model, seed: 7)
        let batch = try DiTFixture.batch(seed: 8)
        let zeros = try Tensor.zeros(try #require(batch.history).shape)
        let withZeros = try noGrad { try DiTFixture.call(model, batch, history: .some(zeros)) }
        let absent = try noGrad { try DiTFixture.call(model, batch, history: .some(nil)) }
        let withHistory = try noGrad { try DiTFixture.call(model, batch) }
        #expect(withZeros.scalars.allSatisfy { $0.isFinite })
        #expect(withZeros.scalars == absent.scalars)
        #expect(withZeros.scalars != withHistory.scalars)
        var lossRng = SeededGenerator(seed: 9)
        let (_, grads) = try valueAndGrad(model) { m in try RectifiedFlow.loss(m, batch: batch, using: &lossRng) }
        for path in ["memory.keyProjection.weight", "memory.valueProjection.weight", "memory.oldestProjection.weight",
                     "memory.middleProjection.weight", "memory.newestProjection.weight", "memory.segmentEmbedding"] {
            let g = try #require(grads[path], "\(path)")
            #expect(g.scalars.contains { abs($0) > 1e-7 }, "\(path) gets a gradient")
        }
    }

    @Test("loss gradients agree with central finite differences on sampled weights")
    func finiteDifferences() throws {
        var rng = SeededGenerator(seed: 10)
        let model = try ProphetDenoiser(configuration: DiTFixture.config, rng: &rng)
        try DiTFixture.perturb(model, seed: 11)
        let batch = try DiTFixture.batch(seed: 12, batch: 1)
        func loss() throws -> Tensor {
            var r = SeededGenerator(seed: 13)
            return try RectifiedFlow.loss(model, batch: batch, using: &r, fixedTimestep: 0.6)
        }
        let (_, grads) = try valueAndGrad(model) { _ in try loss() }
        let slots = Dictionary(uniqueKeysWithValues: model.namedParameterSlots().map { ($0.path, $0.parameter) })
        for path in ["patchEmbedding.weight", "blocks.0.query.base.weight", "blocks.1.attentionModulationUp.weight",
                     "actionToWidth.layers.0.weight", "memory.keyProjection.weight", "finalLinear.weight", "blocks.0.keyNorm.weight"] {
            let slot = try #require(slots[path]), gradient = try #require(grads[path], "\(path)")
            let original = slot.value
            for index in [1, original.count / 3, original.count - 2] {
                func at(_ delta: Float) throws -> Double {
                    var scalars = original.scalars
                    scalars[index] += delta
                    slot.value = try Tensor(scalars, shape: original.shape)
                    defer { slot.value = original }
                    return Double(try noGrad { try loss() }.item())
                }
                let h: Float = 1e-2
                let numeric = (try at(h) - at(-h)) / Double(2 * h)
                let analytic = Double(gradient.scalars[index])
                #expect(abs(numeric - analytic) <= 1e-3 + 5e-2 * abs(numeric), "\(path)[\(index)]: \(analytic) vs FD \(numeric)")
            }
        }
    }

    @Test("overfits a fixed batch of latents")
    func overfits() throws {
        var rng = SeededGenerator(seed: 14)
        let model = try ProphetDenoiser(configuration: DiTFixture.config, rng: &rng)
        let batch = try DiTFixture.batch(seed: 15)
        let optimizer = AdamW(learningRate: 2e-3, weightDecay: 0)
        func loss() throws -> Tensor {
            var r = SeededGenerator(seed: 16)
            return try RectifiedFlow.loss(model, batch: batch, using: &r, fixedTimestep: 0.7)
        }
        let initial = try noGrad { try loss() }.item()
        for _ in 0..<40 {
            let (_, grads) = try valueAndGrad(model) { _ in try loss() }
            try optimizer.update(model, gradients: grads)
        }
        let final = try noGrad { try loss() }.item()
        #expect(final < 0.5 * initial, "loss \(initial) → \(final)")
    }

    @Test("the action-frame latent path is switchable: concatenated on channels and required when on")
    func actionFrames() throws {
        var config = DiTFixture.config
        config.actionFrames = true
        var rng = SeededGenerator(seed: 22)
        let model = try ProphetDenoiser(configuration: config, rng: &rng)
        try DiTFixture.perturb(model, seed: 23)
        let batch = try DiTFixture.batch(seed: 24, config: config)
        let b = batch.latents.shape[0], f = batch.latents.shape[1]
        func run(_ frames: Tensor?) throws -> Tensor {
            try noGrad { try model(latent: batch.latents, actionFrameLatent: frames, timesteps: Tensor.full([b, f], value: 0.5),
                                   actions: batch.actions, history: batch.history) }
        }
        let a = try run(batch.latents), c = try run(batch.latents * -1)
        #expect(a.shape == batch.latents.shape)
        #expect(a.scalars != c.scalars)
        #expect(throws: ValidationError.self) { try run(nil) }
    }

    @Test("wrong action dimension, history shape or timestep shape are typed errors")
    func badInput() throws {
        var rng = SeededGenerator(seed: 17)
        let model = try ProphetDenoiser(configuration: DiTFixture.config, rng: &rng)
        let batch = try DiTFixture.batch(seed: 18)
        #expect(throws: ValidationError.self) { try DiTFixture.call(model, batch, actions: Tensor.zeros([2, 5])) }
        #expect(throws: ValidationError.self) { try DiTFixture.call(model, batch, history: .some(Tensor.zeros([2, 14, 4, 4, 16]))) }
        #expect(throws: ValidationError.self) {
            try model(latent: batch.latents, timesteps: Tensor.zeros([2]), actions: batch.actions, history: nil)
        }
    }

    @Test("LoRA starts as the base model and trains only adapters, action MLPs and memory")
    func lora() throws {
        var rng = SeededGenerator(seed: 19)
        let model = try ProphetDenoiser(configuration: DiTFixture.config, rng: &rng)
        try DiTFixture.perturb(model, seed: 20)
        let batch = try DiTFixture.batch(seed: 21)
        let before = try noGrad { try DiTFixture.call(model, batch) }
        try model.enableLoRA(rank: 4, rng: &rng)
        let after = try noGrad { try DiTFixture.call(model, batch) }
        #expect(before.scalars == after.scalars)
        let trainable = model.trainableParameters().keys
        #expect(trainable.contains("blocks.0.query.loraA"))
        #expect(!trainable.contains("blocks.0.query.base.weight"))
        #expect(!trainable.contains("patchEmbedding.weight"))
        #expect(trainable.contains("memory.keyProjection.weight"))
    }
}
