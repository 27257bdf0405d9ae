import ProphRLCore
import TensorEngine

/// Trains the autoencoder's ``ReferenceRefiner`` with everything else frozen (`prophrl world sharpen`): random
/// 5-frame clips, each with one real reference frame of its own episode — the episode's first frame, which is the
/// reference a rollout gets, or with probability ``Options/earlierReferenceProbability`` any frame up to the clip's
/// start, so that rollouts started mid-episode are covered too.
public final class ReferenceRefinerTrainer {
    /// Hyper-parameters.
    public struct Options: Sendable, Equatable {
        /// Optimizer steps.
        public var steps = 1000
        /// Clips per step.
        public var batch = 4
        /// AdamW learning rate (constant after a 20-step warmup).
        public var learningRate: Float = 1e-3
        /// Probability that a clip's reference is a random earlier frame rather than its episode's first.
        public var earlierReferenceProbability = 0.25
        /// Creates the defaults.
        public init() {}
    }

    /// The model whose refiner is trained.
    public let model: ProphetModel
    /// The training datasets.
    public let datasets: [ProphetDataset]
    /// The options.
    public let options: Options
    let optimizer: AdamW
    /// Data randomness.
    public var rng: SeededGenerator
    /// Steps done.
    public private(set) var step = 0

    /// Freezes all of `model` but its refiner.
    /// - Throws: ``ValidationError`` naming `configuration` when the model has no refiner, `datasets` when empty,
    ///   or a step/batch option below 1.
    public init(model: ProphetModel, datasets: [ProphetDataset], options: Options, seed: UInt64) throws {
        guard model.autoencoder.refinesWithReference else {
            throw ValidationError.invalid(argument: "configuration", reason: "the model has no reference refiner (referenceRefinerWidth is nil)")
        }
        if datasets.isEmpty { throw ValidationError.empty(argument: "datasets") }
        try Validate.atLeastOne(options.steps, "steps")
        try Validate.atLeastOne(options.batch, "batch")
        model.autoencoder.freeze()
        model.autoencoder.unfreeze("refiner")
        model.denoiser.freeze()
        self.model = model
        self.datasets = datasets
        self.options = options
        optimizer = AdamW(learningRate: options.learningRate, beta2: 0.99, weightDecay: 0)
        rng = SeededGenerator(seed: seed)
    }

    /// Whether all steps are done.
    public var done: Bool { step >= options.steps }

    /// One step; returns the loss (L1 + L2 of the sharpened reconstruction).
    public func trainingStep() throws -> Float {
        let dataset = ProphetDataset.pick(from: datasets, weights: \.frameCount, using: &rng)
        var clips: [Tensor] = [], references: [Tensor] = []
        for _ in 0..<options.batch {
            let index = Int(rng.next() % UInt64(dataset.clips.count))
            let start = Int(rng.next() % UInt64(dataset.clips[index].frameCount - 4))
            let earlier = rng.nextUniform() < options.earlierReferenceProbability
            let referenceFrame = earlier ? Int(rng.next() % UInt64(start + 1)) : 0
            clips.append(try dataset.frames(index, start..<(start + 5)))
            references.append(try dataset.frames(index, referenceFrame..<(referenceFrame + 1)))
        }
        let video = try Tensor.concat(clips, axis: 0), reference = try Tensor.concat(references, axis: 0)
        optimizer.learningRate = options.learningRate * Swift.min(1, Float(step + 1) / 20)
        let (loss, grads) = try valueAndGrad(model.autoencoder) { ae in try ae.refinementLoss(video, reference: reference) }
        try optimizer.update(model.autoencoder, gradients: clipGradientNorm(grads, maxNorm: 1).gradients)
        step += 1
        return try loss.item()
    }
}
