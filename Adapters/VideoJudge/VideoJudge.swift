import Foundation
import ProphRLCore
import TensorEngine

/// A learned, frozen-at-use video judge behind the ``RewardModel`` port: a small video classifier that reads a
/// few frames of a rollout (the last included), optionally a few of its robot states (`statePoints`), and the
/// instruction and outputs P(success). Trained with binary cross-entropy on rollouts labelled by the simulator's
/// success predicate.
///
/// ```swift
/// let judge = try VideoJudge(configuration: VideoJudgeConfiguration())
/// let loss = try await judge.trainStep(features: batch.map(\.features), instructions: batch.map(\.instruction),
///                                      labels: batch.map(\.success))
/// let verdict = try await judge.score(rollout: clip, instruction: "pick up the bottle")
/// ```
public actor VideoJudge: RewardModel {
    /// The run-record key under which the judge's configuration is stored.
    public static let configurationKey = "judge"
    /// Sizes and training settings.
    public nonisolated let configuration: VideoJudgeConfiguration
    let network: VideoJudgeNetwork
    let optimizer: AdamW
    let tokenizer: InstructionTokenizer
    /// Optimizer steps taken.
    public private(set) var trainingSteps = 0

    /// Creates a judge with seeded initial weights.
    /// - Throws: ``ValidationError`` for an invalid configuration.
    public init(configuration: VideoJudgeConfiguration) throws {
        try configuration.validate()
        self.configuration = configuration
        network = try VideoJudgeNetwork(configuration)
        optimizer = AdamW(learningRate: Float(configuration.learningRate), weightDecay: Float(configuration.weightDecay))
        tokenizer = InstructionTokenizer(vocabularySize: configuration.vocabularySize)
    }

    /// The number of scalar parameters.
    public var parameterCount: Int { network.parameterCount }

    /// The input features of one clip (see ``VideoJudgeFeatures``); compute once and reuse across epochs.
    /// - Throws: ``ValidationError`` if this judge also reads states (use ``features(_:states:)``).
    public nonisolated func features(_ clip: VideoClip) throws -> [Float] {
        guard configuration.statePoints == 0 else {
            throw ValidationError.invalid(argument: "states", reason: "this judge reads the rollout's states "
                                          + "(statePoints \(configuration.statePoints)); score it with them")
        }
        return try VideoJudgeFeatures.features(clip, configuration)
    }

    /// The input features of one clip and the states before each of its chunks; the states are ignored by a
    /// video-only judge.
    public nonisolated func features(_ clip: VideoClip, states: [RobotState]) throws -> [Float] {
        try VideoJudgeFeatures.features(clip, configuration) + VideoJudgeFeatures.stateFeatures(states, configuration)
    }

    /// P(success) of each video, given as ``features(_:)``.
    /// - Throws: ``ValidationError`` if the counts differ or a feature vector has the wrong length.
    public func probabilities(features: [[Float]], instructions: [String]) throws -> [Double] {
        try checkBatch(features, instructions)
        let logits = try noGrad { try network.logits(features: features.flatMap { $0 }, wordIDs: instructions.map(tokenizer.ids)) }
        return logits.scalars.map { 1 / (1 + Foundation.exp(-Double($0))) }
    }

    /// Judges one rollout: success when P(success) ≥ the configured threshold; the reward is the binary success.
    public func score(rollout: VideoClip, instruction: String) async throws -> RewardVerdict {
        verdict(try probabilities(features: [try features(rollout)], instructions: [instruction])[0])
    }

    /// Judges one rollout from its video and states (a video-only judge ignores the states).
    public func score(rollout: VideoClip, instruction: String, states: [RobotState]) async throws -> RewardVerdict {
        verdict(try probabilities(features: [try features(rollout, states: states)], instructions: [instruction])[0])
    }

    /// The binary verdict at the threshold for P(success) `p`.
    func verdict(_ p: Double) -> RewardVerdict {
        let success = p >= configuration.threshold
        return RewardVerdict(reward: success ? 1 : 0, success: success,
                             rationale: "video judge P(success) = \((p * 1000).rounded() / 1000)")
    }

    /// One AdamW step on the mean binary cross-entropy of the batch; returns the loss before the step.
    /// - Throws: ``ValidationError`` for an empty batch or mismatched counts.
    public func trainStep(features: [[Float]], instructions: [String], labels: [Bool]) throws -> Double {
        try trainStep(features: features, instructions: instructions, labels: labels, pairs: [], rankingWeight: 0)
    }

    /// One AdamW step on the mean binary cross-entropy plus `rankingWeight` × the mean pairwise logistic loss
    /// −log σ(z_s − z_f) over `pairs` (batch positions of a success and a failure from one RL group, z the logits);
    /// returns the loss before the step.
    ///
    /// Group-normalised advantages use the reward only through its order inside each group, so the pairs teach the
    /// judge what the binary loss alone learns least: which of two rollouts from the same start succeeded.
    /// - Throws: ``ValidationError`` for an empty batch, mismatched counts, a negative weight, or a pair whose
    ///   positions are out of range or not (success, failure).
    public func trainStep(features: [[Float]], instructions: [String], labels: [Bool], pairs: [(success: Int, failure: Int)],
                          rankingWeight: Double) throws -> Double {
        try checkBatch(features, instructions)
        try Validate.count(labels.count, equals: features.count, "labels")
        guard rankingWeight >= 0, rankingWeight.isFinite else {
            throw ValidationError.outOfRange(argument: "rankingWeight", expected: ">= 0", actual: rankingWeight)
        }
        for (i, pair) in pairs.enumerated() {
            guard labels.indices.contains(pair.success), labels.indices.contains(pair.failure),
                  labels[pair.success], !labels[pair.failure] else {
                throw ValidationError.invalid(argument: "pairs[\(i)]", reason: "expected batch positions of a success and a "
                                              + "failure, got (\(pair.success), \(pair.failure)) in a batch of \(labels.count)")
            }
        }
        let ranked = !pairs.isEmpty && rankingWeight > 0
        let target = try Tensor(labels.map { $0 ? Float(1) : 0 }, shape: [labels.count, 1])
        let flat = features.flatMap { $0 }, ids = instructions.map(tokenizer.ids)
        let (loss, grads) = try valueAndGrad(network) { net in
            let logits = try net.logits(features: flat, wordIDs: ids)
            let p = logits.sigmoid().clamped(min: 1e-6, max: 1 - 1e-6)
            let likelihood = try (target * p.log()) + ((1 - target) * (1 - p).log())
            let crossEntropy = try (-likelihood).mean()
            guard ranked else { return crossEntropy }
            let margin = try logits.gather(pairs.map(\.success)) - logits.gather(pairs.map(\.failure))
            return try crossEntropy + Float(rankingWeight) * (try Self.softplus(-margin)).mean()
        }
        let (clipped, _) = clipGradientNorm(grads, maxNorm: 1)
        try optimizer.update(network, gradients: clipped)
        trainingSteps += 1
        return Double(try loss.item())
    }

    /// log(1 + eˣ) = max(x, 0) + log(1 + e^−|x|), which keeps its gradient where a sigmoid would saturate.
    static func softplus(_ x: Tensor) throws -> Tensor {
        try x.relu() + ((-x.abs()).exp() + 1).log()
    }

    /// The fraction of videos whose thresholded P(success) matches the label.
    /// - Throws: ``ValidationError`` for an empty batch or mismatched counts.
    public func accuracy(features: [[Float]], instructions: [String], labels: [Bool]) throws -> Double {
        try Validate.count(labels.count, equals: features.count, "labels")
        let p = try probabilities(features: features, instructions: instructions)
        let correct = zip(p, labels).filter { ($0.0 >= configuration.threshold) == $0.1 }.count
        return Double(correct) / Double(labels.count)
    }

    func checkBatch(_ features: [[Float]], _ instructions: [String]) throws {
        guard !features.isEmpty else { throw ValidationError.empty(argument: "features") }
        try Validate.count(instructions.count, equals: features.count, "instructions")
        let width = configuration.videoFeatureCount + configuration.stateFeatureCount
        for (i, f) in features.enumerated() where f.count != width {
            throw ValidationError.shapeMismatch(argument: "features[\(i)]", expected: "\(width) values", actual: "\(f.count)")
        }
    }

    // MARK: - Checkpoints

    /// Parameters (dotted keys) as a checkpoint.
    /// - Throws: ``ValidationError`` for a negative step or non-finite metric.
    public func checkpoint(step: Int, wallTime: Double, metrics: [String: Double] = [:]) throws -> Checkpoint {
        let tensors = try network.parameters().map { try NamedTensor(name: $0.key, values: $0.value.scalars, shape: $0.value.shape) }
        return try Checkpoint(step: step, wallTime: wallTime, metrics: metrics, tags: ["judge"], tensors: tensors, optimizerState: [])
    }

    /// Restores the parameters from `checkpoint`.
    /// - Throws: ``TensorError`` for a missing or mis-shaped parameter.
    public func restore(_ checkpoint: Checkpoint) throws {
        let parameters = try Dictionary(uniqueKeysWithValues: checkpoint.tensors.map {
            ($0.name, try Tensor($0.floats(), shape: $0.shape))
        })
        try network.update(parameters: parameters, strict: true)
    }

    /// A judge built from the configuration in `store`'s run record and its latest checkpoint.
    /// - Throws: ``ValidationError`` if the store holds no judge configuration or checkpoint.
    public static func load(from store: some CheckpointStore) async throws -> VideoJudge {
        let record = try store.runRecord()
        guard case .object(let members)? = try JSONValue.parse(record.configJSON)[configurationKey] else {
            throw ValidationError.invalid(argument: "\(store.location) run config",
                                          reason: "expected a '\(configurationKey)' object (is this a judge run file?)")
        }
        var configuration = VideoJudgeConfiguration()
        try configuration.apply(members)
        let judge = try VideoJudge(configuration: configuration)
        guard let latest = try store.latest() else {
            throw ValidationError.invalid(argument: store.location, reason: "the store holds no checkpoint")
        }
        try await judge.restore(latest)
        return judge
    }
}
