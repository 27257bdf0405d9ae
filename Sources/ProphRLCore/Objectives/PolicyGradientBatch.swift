/// What a policy-gradient update needs from the rollouts (rl-math.md §3.6): rollout-time log-probs,
/// one advantage per rollout, the termination mask and, optionally, the step stds.
///
/// ```swift
/// let batch = try PolicyGradientBatch(oldLogProbs: old, advantages: result.advantages, mask: mask, stds: stds)
/// let out = try FAGRPO().evaluate(newLogProbs: new, batch: batch)
/// ```
public struct PolicyGradientBatch: Sendable, Equatable {
    /// `ℓ^old`, `[B, S, K, CH, D]`.
    public let oldLogProbs: TrajectoryTensor<Double>
    /// `Â`, one per rollout, broadcast over `(s, c, d)`.
    public let advantages: [Double]
    /// `M[b, s, c]`.
    public let mask: TerminationMask
    /// `σ_std[b, s, k]`, needed by FlowScale weights and the closed-form KL; nil when not recorded.
    public let stds: StepValues?

    /// The layout sizes.
    public var shape: TrajectoryShape { oldLogProbs.shape }

    /// Validates and bundles the rollout data.
    /// - Throws: ``ValidationError`` on a NaN/Inf log-prob or advantage, an advantage count other than B, a mask
    ///   or std shape that does not match, or a std that is not strictly positive.
    public init(oldLogProbs: TrajectoryTensor<Double>, advantages: [Double], mask: TerminationMask,
                stds: StepValues? = nil) throws {
        let shape = oldLogProbs.shape
        try oldLogProbs.validateFinite("oldLogProbs")
        try Validate.count(advantages.count, equals: shape.batch, "advantages")
        try Validate.finite(advantages, "advantages")
        try mask.validate(against: shape, "mask")
        if let stds {
            try stds.validate(against: shape, "stds")
            if let i = stds.values.firstIndex(where: { !($0 > 0) }) {
                throw ValidationError.outOfRange(argument: "stds[\(i)]", expected: "> 0 (a step std; variances cannot be negative)",
                                                 actual: stds.values[i])
            }
        }
        guard mask.validCount > 0 else {
            throw ValidationError.invalid(argument: "mask", reason: "no valid (b, s, c) entry: nothing to learn from")
        }
        self.oldLogProbs = oldLogProbs
        self.advantages = advantages
        self.mask = mask
        self.stds = stds
    }

    /// Throws unless `tensor` has this batch's shape and finite values.
    func validateCompanion(_ tensor: TrajectoryTensor<Double>, _ argument: String) throws {
        try tensor.validateShape(shape, argument)
        try tensor.validateFinite(argument)
    }
}
