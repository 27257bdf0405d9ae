import RealModule

/// FlowScale: per-step weights from each denoising step's actual variance, which move gradient mass back
/// from low-noise to high-noise steps (rl-math.md §10).
///
/// ```
/// w̃_k = (σ²_k + ε)^p,   w_k = clip( (1−α)·w̃_k / mean_j w̃_j + α,  w_min, w_max )
/// ```
///
/// ```swift
/// let w = try FlowScale().weights(variances: [0.25, 0.1875, 0.0625, 0.0208333333])
/// // [1.46, 1.22, 0.74, 0.58] on the default grid (T3)
/// ```
public struct FlowScale: Sendable, Equatable {
    /// Where the weights act (rl-math.md §10.2; the paper's Algorithm 2 is not public, so this is a switch).
    public enum Placement: String, Sendable, Equatable, CaseIterable {
        /// A1 (default): weighted chain log-ratio `exp(Σ_k w_k Δ_k)`, then FA-GRPO.
        case weightedLogRatio
        /// A2: FA-GRPO forward values and clipping; per-step gradients scaled by `w_k`.
        case gradientOnly
        /// B: per-step ratios per element, each surrogate weighted by `w_k`; does not reduce to FA-GRPO.
        case perStep
    }

    /// ε added to the variance (default 1e-6).
    public var epsilon: Double
    /// Exponent p (default 1).
    public var power: Double
    /// Mix toward 1: α = 1 gives `w ≡ 1` (plain FA-GRPO), α = 0 pure normalised weights (default 0.5).
    public var alpha: Double
    /// Lower clip bound (default 0.5).
    public var minWeight: Double
    /// Upper clip bound (default 2.0).
    public var maxWeight: Double
    /// Placement (default A1).
    public var placement: Placement

    /// The defaults of rl-math.md §10.3.
    public init(epsilon: Double = 1e-6, power: Double = 1, alpha: Double = 0.5, minWeight: Double = 0.5,
                maxWeight: Double = 2.0, placement: Placement = .weightedLogRatio) {
        self.epsilon = epsilon
        self.power = power
        self.alpha = alpha
        self.minWeight = minWeight
        self.maxWeight = maxWeight
        self.placement = placement
    }

    /// Throws ``ValidationError`` if a parameter is not finite, ε or w_min is negative, α is outside [0, 1],
    /// or w_min > w_max.
    public func validate() throws {
        try Validate.finite(epsilon, "epsilon")
        guard epsilon >= 0 else { throw ValidationError.outOfRange(argument: "epsilon", expected: ">= 0", actual: epsilon) }
        try Validate.finite(power, "power")
        try Validate.inRange(alpha, 0, 1, "alpha")
        try Validate.finite(minWeight, "minWeight")
        try Validate.finite(maxWeight, "maxWeight")
        guard minWeight >= 0 else {
            throw ValidationError.outOfRange(argument: "minWeight", expected: ">= 0", actual: minWeight)
        }
        guard minWeight <= maxWeight else {
            throw ValidationError.outOfRange(argument: "minWeight", expected: "<= maxWeight (\(maxWeight))", actual: minWeight)
        }
    }

    /// The normalised weights `w̃_k / mean_j w̃_j` of one sample, before the mix and clip (they average 1).
    /// - Throws: ``ValidationError`` on an empty list or a negative or non-finite variance.
    public func normalizedWeights(variances: [Double]) throws -> [Double] {
        try validate()
        guard !variances.isEmpty else { throw ValidationError.empty(argument: "variances") }
        try Validate.finite(variances, "variances")
        if let i = variances.firstIndex(where: { $0 < 0 }) {
            throw ValidationError.outOfRange(argument: "variances[\(i)]", expected: ">= 0", actual: variances[i])
        }
        let raw = variances.map { Double.pow($0 + epsilon, power) }
        let mean = raw.reduce(0, +) / Double(raw.count)
        guard mean > 0, mean.isFinite else {
            throw ValidationError.invalid(argument: "variances", reason: "weights (σ² + ε)^p have mean \(mean); raise epsilon")
        }
        return raw.map { $0 / mean }
    }

    /// The final weights of one sample `(b, s)` over its K (SDE) steps.
    /// - Throws: ``ValidationError`` as ``normalizedWeights(variances:)``.
    public func weights(variances: [Double]) throws -> [Double] {
        try normalizedWeights(variances: variances).map { w in
            min(max((1 - alpha) * w + alpha, minWeight), maxWeight)
        }
    }

    /// The weights of every `(b, s)` from the step stds recorded with the rollouts (`σ² = s²`).
    /// - Throws: ``ValidationError`` as ``normalizedWeights(variances:)``.
    public func weights(stds: StepValues) throws -> StepValues {
        var out = stds
        let K = stds.denoisingSteps
        for row in 0..<(stds.batch * stds.outerSteps) {
            let range = (row * K)..<((row + 1) * K)
            let w = try weights(variances: stds.values[range].map { $0 * $0 })
            out.values.replaceSubrange(range, with: w)
        }
        return out
    }
}

/// FA-GRPO with FlowScale weights computed from the batch's step stds, at the configured placement.
///
/// ```swift
/// let objective = FlowScaleObjective(flowScale: FlowScale(placement: .weightedLogRatio))
/// let out = try objective.evaluate(newLogProbs: new, batch: batch, kl: nil)
/// ```
public struct FlowScaleObjective: PolicyObjective {
    /// Clip ε, KL β and the normaliser.
    public var configuration: ObjectiveConfiguration
    /// The weight settings and placement.
    public var flowScale: FlowScale

    /// Creates the objective with rl-math.md defaults unless told otherwise.
    public init(configuration: ObjectiveConfiguration = ObjectiveConfiguration(), flowScale: FlowScale = FlowScale()) {
        self.configuration = configuration
        self.flowScale = flowScale
    }

    /// Weights from `batch.stds`, then the placement's objective.
    /// - Throws: ``ValidationError`` if the batch carries no stds or any input is invalid.
    public func evaluate(newLogProbs: TrajectoryTensor<Double>, batch: PolicyGradientBatch,
                         kl: KLReference?) throws -> ObjectiveResult {
        guard let stds = batch.stds else {
            throw ValidationError.invalid(argument: "batch.stds", reason: "FlowScale needs the step stds of the rollouts")
        }
        return try evaluate(newLogProbs: newLogProbs, batch: batch, kl: kl, weights: try flowScale.weights(stds: stds))
    }

    /// The placement's objective with explicit weights (constants of the update).
    /// - Throws: ``ValidationError`` if the weights' shape does not match or any input is invalid.
    public func evaluate(newLogProbs: TrajectoryTensor<Double>, batch: PolicyGradientBatch, kl: KLReference?,
                         weights: StepValues) throws -> ObjectiveResult {
        try flowScale.validate()
        switch flowScale.placement {
        case .weightedLogRatio:
            return try FAGRPO(configuration: configuration)
                .evaluate(newLogProbs: newLogProbs, batch: batch, kl: kl, stepWeights: weights, weightsInForward: true)
        case .gradientOnly:
            return try FAGRPO(configuration: configuration)
                .evaluate(newLogProbs: newLogProbs, batch: batch, kl: kl, stepWeights: weights, weightsInForward: false)
        case .perStep:
            return try FlowGRPO(configuration: configuration, reduction: .perElement)
                .evaluate(newLogProbs: newLogProbs, batch: batch, kl: kl, stepWeights: weights)
        }
    }
}
