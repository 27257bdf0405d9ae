import ProphRLCore

/// Supervised fine-tuning: seeded shuffled minibatches of demonstration examples, one imitation step each.
///
/// ```swift
/// let trainer = try SFTTrainer(options: options, examples: examples)
/// for step in 0..<options.steps { let report = try await trainer.step(step, policy: policy) }
/// ```
public struct SFTTrainer: Sendable {
    /// The run's options.
    public let options: SFTOptions
    /// The training examples.
    public let examples: [DemonstrationExample]

    /// Creates a trainer.
    /// - Throws: ``ValidationError`` for invalid options or no examples.
    public init(options: SFTOptions, examples: [DemonstrationExample]) throws {
        try options.validate()
        guard !examples.isEmpty else { throw ValidationError.empty(argument: "examples") }
        self.options = options
        self.examples = examples
    }

    /// The example indices of step `step`: epoch-wise seeded permutations, so a resumed run sees the same batches.
    public func batch(_ step: Int) -> [Int] {
        let n = examples.count, size = min(options.batchSize, n)
        let perEpoch = max(n / size, 1)
        let epoch = step / perEpoch, position = step % perEpoch
        var rng = SeededGenerator(seed: options.seed).fork(UInt64(epoch))
        var order = Array(0..<n)
        order.shuffle(using: &rng)
        return Array(order[(position * size)..<(position * size + size)])
    }

    /// Runs step `step` on `policy`.
    public func step<P: ImitationPolicy>(_ step: Int, policy: P) async throws -> ImitationStepReport {
        try await policy.imitationStep(on: batch(step).map { examples[$0] })
    }
}
