import ProphRLCore
import TensorEngine

/// Trains Prophet in the order of world-model.md §9: the autoencoder, then the latent cache with per-channel
/// statistics, then the DiT (AdamW, warmup, grad-norm clip 1, memory dropout 0.1, history noise augmentation).
/// Every minibatch comes from one dataset, chosen with probability proportional to its chunk count.
public final class ProphetTrainer {
    /// Hyper-parameters.
    public struct Options: Sendable, Equatable {
        /// Autoencoder steps.
        public var autoencoderSteps = 200
        /// Clips per autoencoder step (5 frames each).
        public var autoencoderBatch = 4
        /// Autoencoder learning rate.
        public var autoencoderLearningRate: Float = 1e-3
        /// DiT steps.
        public var ditSteps = 400
        /// Chunks per DiT step.
        public var ditBatch = 8
        /// DiT peak learning rate.
        public var learningRate: Float = 2e-4
        /// Linear warmup steps.
        public var warmupSteps = 500
        /// Probability of replacing the whole memory by zeros.
        public var memoryDropout: Float = 0.1
        /// Upper bound of the history noise σ_h ~ U(0, bound).
        public var historyNoise: Float = 0.1
        /// Normalise actions by the training data's per-dimension mean/std before the first DiT step
        /// (off: keep the model's current normalisation, e.g. when fine-tuning).
        public var computeActionStatistics = true
        /// Creates the defaults.
        public init() {}
    }

    /// The model being trained.
    public let model: ProphetModel
    /// The datasets (one per file).
    public let datasets: [ProphetDataset]
    /// The options.
    public let options: Options
    let autoencoderOptimizer: AdamW
    let ditOptimizer: AdamW
    /// Data and noise randomness (saved with checkpoints).
    public var rng: SeededGenerator
    /// Autoencoder steps done.
    public private(set) var autoencoderStep = 0
    /// DiT steps done.
    public private(set) var ditStep = 0
    private var cacheReady = false

    /// Creates a trainer.
    /// - Throws: ``ValidationError`` naming `datasets` when empty, or a step/batch option below its minimum.
    public init(model: ProphetModel, datasets: [ProphetDataset], options: Options, seed: UInt64) throws {
        if datasets.isEmpty { throw ValidationError.empty(argument: "datasets") }
        try Validate.atLeastOne(options.autoencoderBatch, "autoencoderBatch")
        try Validate.atLeastOne(options.ditBatch, "ditBatch")
        self.model = model
        self.datasets = datasets
        self.options = options
        autoencoderOptimizer = AdamW(learningRate: options.autoencoderLearningRate, beta2: 0.99, weightDecay: 0)
        ditOptimizer = AdamW(learningRate: options.learningRate, beta1: 0.9, beta2: 0.99, weightDecay: 0.01)
        rng = SeededGenerator(seed: seed)
    }

    /// Whether the autoencoder phase is over.
    public var autoencoderDone: Bool { autoencoderStep >= options.autoencoderSteps }

    private func pickDataset(weights: (ProphetDataset) -> Int) -> ProphetDataset {
        ProphetDataset.pick(from: datasets, weights: weights, using: &rng)
    }

    /// One autoencoder step on random 5-frame clips; returns the loss.
    public func autoencoderTrainingStep() throws -> Float {
        let dataset = pickDataset(weights: \.frameCount)
        let clips = try (0..<options.autoencoderBatch).map { _ -> Tensor in
            let index = Int(rng.next() % UInt64(dataset.clips.count))
            let start = Int(rng.next() % UInt64(dataset.clips[index].frameCount - 4))
            return try dataset.frames(index, start..<(start + 5))
        }
        let video = try Tensor.concat(clips, axis: 0)
        let (loss, grads) = try valueAndGrad(model.autoencoder) { ae in try ae.reconstructionLoss(video) }
        try autoencoderOptimizer.update(model.autoencoder, gradients: clipGradientNorm(grads, maxNorm: 1).gradients)
        autoencoderStep += 1
        cacheReady = false
        return try loss.item()
    }

    /// Encodes every dataset; statistics come from the first (training) pass unless `statistics` is false.
    public func buildLatentCache(computeStatistics: Bool = true) throws {
        model.autoencoder.freeze()
        for (i, dataset) in datasets.enumerated() {
            try dataset.cacheLatents(model.autoencoder, computeStatistics: computeStatistics && i == 0)
        }
        cacheReady = true
    }

    /// One DiT step (builds the latent cache first if needed); returns the velocity loss.
    public func ditTrainingStep() throws -> Float {
        if !cacheReady { try buildLatentCache(computeStatistics: ditStep == 0 && autoencoderStep > 0) }
        if ditStep == 0 && options.computeActionStatistics { try setActionStatistics() }
        let cfg = model.configuration
        let dataset = pickDataset { $0.chunkCount }
        var latents: [Float] = [], history: [Float] = [], actions: [Float] = [], actionFrames: [Float] = []
        for _ in 0..<options.ditBatch {
            let index = Int(rng.next() % UInt64(dataset.clips.count))
            let starts = ProphetDataset.chunkStarts(dataset.clips[index], cfg)
            let sample = dataset.sample(index, start: starts[Int(rng.next() % UInt64(starts.count))])
            latents += sample.latents
            actionFrames += sample.actionFrames
            actions += model.preparedActions(sample.actions)
            if Float(rng.nextUniform()) < options.memoryDropout {
                history += [Float](repeating: 0, count: sample.history.count)
            } else {
                let sigma = Float(rng.nextUniform()) * options.historyNoise
                history += sample.history.map { $0 + sigma * Float(rng.nextGaussian()) }
            }
        }
        let b = options.ditBatch, grid = [cfg.latentHeight, cfg.latentWidth, cfg.latentChannels]
        if cfg.actionFrames && actionFrames.count != latents.count {
            throw ValidationError.shapeMismatch(argument: "datasets", expected: "action-frame latents for every chunk (action frames are on)",
                                                actual: "\(actionFrames.count) of \(latents.count) values")
        }
        let batch = RectifiedFlow.Batch(latents: try Tensor(latents, shape: [b, cfg.latentFrames] + grid),
                                        actionFrameLatents: cfg.actionFrames ? try Tensor(actionFrames, shape: [b, cfg.latentFrames] + grid) : nil,
                                        actions: try Tensor(actions, shape: [b, cfg.chunkFrames * cfg.actionDimension]),
                                        history: cfg.historyMemory ? try Tensor(history, shape: [b, cfg.historyLatents] + grid) : nil)
        let warmup = Swift.max(options.warmupSteps, 1)
        ditOptimizer.learningRate = options.learningRate * Swift.min(1, Float(ditStep + 1) / Float(warmup))
        var noiseRng = rng.fork(UInt64(ditStep))
        let (loss, grads) = try valueAndGrad(model.denoiser) { m in try RectifiedFlow.loss(m, batch: batch, using: &noiseRng) }
        try ditOptimizer.update(model.denoiser, gradients: clipGradientNorm(grads, maxNorm: 1).gradients)
        ditStep += 1
        return try loss.item()
    }

    /// Per-dimension mean/std of the actions of all datasets, stored in the denoiser.
    public func setActionStatistics() throws {
        let a = model.configuration.actionDimension
        var sum = [Double](repeating: 0, count: a), squares = sum, count = 0.0
        for dataset in datasets {
            let m = dataset.actionMoments
            for d in 0..<a { sum[d] += m.sum[d]; squares[d] += m.squares[d] }
            count += m.count
        }
        let mean = sum.map { $0 / Swift.max(count, 1) }
        let std = (0..<a).map { Swift.max(0, squares[$0] / Swift.max(count, 1) - mean[$0] * mean[$0]).squareRoot() }
        try model.denoiser.setActionStatistics(mean: mean.map { Float($0) }, std: std.map { Float($0) })
    }

    /// Everything needed to resume: parameters (`model.`), optimizer moments (`aeopt.`, `ditopt.`) and counters.
    public func stateTensors() throws -> [String: Tensor] {
        var state: [String: Tensor] = [:]
        for (k, v) in model.parameters() { state["model." + k] = v }
        for (k, v) in autoencoderOptimizer.stateTensors() { state["aeopt." + k] = v }
        for (k, v) in ditOptimizer.stateTensors() { state["ditopt." + k] = v }
        state["trainer.steps"] = try Tensor([Float(autoencoderStep), Float(ditStep)], shape: [2])
        return state
    }

    /// Restores a state from ``stateTensors()``; the latent cache is rebuilt on the next DiT step.
    /// - Throws: ``TensorError`` for missing or mis-shaped tensors.
    public func restore(_ state: [String: Tensor], rng restored: SeededGenerator) throws {
        func part(_ prefix: String) -> [String: Tensor] {
            Dictionary(uniqueKeysWithValues: state.filter { $0.key.hasPrefix(prefix) }.map { (String($0.key.dropFirst(prefix.count)), $0.value) })
        }
        try model.load(parameters: part("model."))
        let ae = part("aeopt."), dit = part("ditopt.")
        if !ae.isEmpty { try autoencoderOptimizer.loadState(ae) }
        if !dit.isEmpty { try ditOptimizer.loadState(dit) }
        guard let steps = state["trainer.steps"], steps.count == 2 else {
            throw TensorError.missingKey(op: "ProphetTrainer.restore", key: "trainer.steps")
        }
        autoencoderStep = Int(steps.scalars[0])
        ditStep = Int(steps.scalars[1])
        rng = restored
        cacheReady = false
        if autoencoderDone { model.autoencoder.freeze() }
    }
}
