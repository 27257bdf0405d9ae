import ProphRLCore

/// Rollouts laid out in the core's `[B, S, K, CH, D]` layout: rollout-time log-probs, samples, stds, the
/// termination mask and one advantage per rollout, plus the records the policy recomputes means for.
public struct RolloutBatch: Sendable {
    /// The objective's input.
    public let batch: PolicyGradientBatch
    /// The stored chain samples `x_{k+1}`.
    public let samples: TrajectoryTensor<Double>
    /// The policy records, in `(b, s)` order of the executed chunks.
    public let records: [PolicyStepRecord]
    /// For each record, its `(b, s)`.
    public let positions: [(b: Int, s: Int)]

    /// Lays out `rollouts` with `outerSteps` slots of `chunk` actions each; missing chunks are padding (masked).
    /// - Throws: ``ValidationError`` if traces disagree in K or width, a rollout is longer than `outerSteps`,
    ///   or the advantages do not match.
    public init(rollouts: [Rollout], advantages: [Double], outerSteps: Int, chunk: Int) throws {
        guard let first = rollouts.first?.records.first?.trace else { throw ValidationError.empty(argument: "rollouts") }
        try Validate.count(advantages.count, equals: rollouts.count, "advantages")
        let K = first.steps, width = first.states[0].count
        try Validate.atLeastOne(chunk, "chunk")
        guard width % chunk == 0 else {
            throw ValidationError.shapeMismatch(argument: "trace width", expected: "a multiple of CH = \(chunk)", actual: "\(width)")
        }
        let shape = try TrajectoryShape(batch: rollouts.count, outerSteps: outerSteps, denoisingSteps: K,
                                        chunk: chunk, actionDim: width / chunk)
        var old = TrajectoryTensor<Double>(zeros: shape), samples = TrajectoryTensor<Double>(zeros: shape)
        var stds = [Double](repeating: 1, count: shape.stepCount)
        var records: [PolicyStepRecord] = [], positions: [(b: Int, s: Int)] = [], done: [[Bool]] = []
        for (b, rollout) in rollouts.enumerated() {
            guard rollout.records.count <= outerSteps else {
                throw ValidationError.outOfRange(argument: "rollouts[\(b)].records", expected: "<= outerSteps \(outerSteps)",
                                                 actual: Double(rollout.records.count))
            }
            for (s, record) in rollout.records.enumerated() {
                let trace = record.trace
                guard trace.steps == K, trace.states[0].count == width, trace.logProbs.allSatisfy({ $0.count == width }) else {
                    throw ValidationError.shapeMismatch(argument: "rollouts[\(b)].records[\(s)].trace",
                                                        expected: "K = \(K), width \(width), stochastic",
                                                        actual: "K = \(trace.steps), width \(trace.states[0].count)")
                }
                for k in 0..<K {
                    stds[shape.stepIndex(b: b, s: s, k: k)] = trace.stds[k]
                    let base = shape.index(b: b, s: s, k: k, c: 0, d: 0)
                    for i in 0..<width {
                        old.values[base + i] = Double(trace.logProbs[k][i])
                        samples.values[base + i] = Double(trace.states[k + 1][i])
                    }
                }
                records.append(record)
                positions.append((b, s))
            }
            done.append(try rollout.positionDone(chunk: chunk))
        }
        let mask = try TerminationMask(positionDone: done, outerSteps: outerSteps, chunk: chunk)
        let stepValues = try StepValues(batch: shape.batch, outerSteps: outerSteps, denoisingSteps: K, values: stds, name: "stds")
        batch = try PolicyGradientBatch(oldLogProbs: old, advantages: advantages, mask: mask, stds: stepValues)
        self.samples = samples
        self.records = records
        self.positions = positions
    }

    /// The current means of every record placed in the layout; padded entries copy the samples (they are masked).
    public func meansTensor(_ means: [[[Double]]]) throws -> TrajectoryTensor<Double> {
        try Validate.count(means.count, equals: records.count, "means")
        var tensor = samples
        let shape = samples.shape
        for (r, (b, s)) in positions.enumerated() {
            for k in 0..<shape.denoisingSteps {
                let base = shape.index(b: b, s: s, k: k, c: 0, d: 0)
                try Validate.count(means[r][k].count, equals: shape.chunk * shape.actionDim, "means[\(r)][\(k)]")
                for (i, value) in means[r][k].enumerated() { tensor.values[base + i] = value }
            }
        }
        return tensor
    }

    /// A layout tensor cut back into per-record `K × (CH·D)` rows (the inverse of ``meansTensor(_:)``).
    public func perRecord(_ tensor: TrajectoryTensor<Double>) -> [[[Double]]] {
        let shape = tensor.shape
        let width = shape.chunk * shape.actionDim
        return positions.map { b, s in
            (0..<shape.denoisingSteps).map { k in
                let base = shape.index(b: b, s: s, k: k, c: 0, d: 0)
                return Array(tensor.values[base..<(base + width)])
            }
        }
    }
}
