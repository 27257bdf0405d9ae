/// Port: a policy whose flow head can be updated by a policy-gradient objective.
///
/// The core computes the objective and its exact gradient with respect to every transition mean
/// (`PolicyObjective.evaluate(newMeans:samples:batch:referenceMeans:)`); the policy recomputes those means at
/// the stored chain states under its current parameters and back-propagates the gradient into them. So the
/// RL math never needs the network's autograd, and the network never needs the RL math:
///
/// ```swift
/// let means = try await policy.transitionMeans(for: records)             // μ^θ at the stored x_k
/// let result = try objective.evaluate(newMeans: tensor(means), samples: samples, batch: batch)
/// let report = try await policy.applyMeansGradient(rows(result.gradientMeans!), for: records)
/// ```
public protocol TrainablePolicy: ActionPolicy {
    /// The transition means `μ^θ_k` at the stored states `x_k` of each record's chain, as
    /// `records.count × K × (CH·D)` values in the trace's flat order.
    func transitionMeans(for records: [PolicyStepRecord]) async throws -> [[[Double]]]

    /// Back-propagates `∂L/∂μ` (same layout as ``transitionMeans(for:)``) into the parameters, adds the weighted
    /// gradient of the anchor's imitation loss if one is given, and takes one optimizer step.
    func applyMeansGradient(_ gradient: [[[Double]]], for records: [PolicyStepRecord],
                            anchor: ImitationAnchor?) async throws -> PolicyUpdateReport
}

extension TrainablePolicy {
    /// Back-propagates `∂L/∂μ` into the parameters and takes one optimizer step (no imitation anchor).
    public func applyMeansGradient(_ gradient: [[[Double]]], for records: [PolicyStepRecord]) async throws -> PolicyUpdateReport {
        try await applyMeansGradient(gradient, for: records, anchor: nil)
    }
}

/// One policy decision as stored for the update: what the policy saw and the chain it ran.
public struct PolicyStepRecord: Sendable, Equatable {
    /// The observation the chunk was proposed for.
    public var observation: Observation
    /// The denoising chain that produced it.
    public var trace: DenoisingTrace

    /// Creates a record.
    public init(observation: Observation, trace: DenoisingTrace) {
        self.observation = observation
        self.trace = trace
    }
}

/// What one optimizer step did.
public struct PolicyUpdateReport: Sendable, Equatable {
    /// The global gradient norm before clipping.
    public var gradientNorm: Double
    /// The learning rate used.
    public var learningRate: Double
    /// Per denoising step k, the norm of the parameter gradient coming from that step (shows what FlowScale
    /// does to the balance across k); empty if the policy does not measure it.
    public var perStepGradientNorms: [Double]
    /// The anchor's imitation loss before the step (unweighted); nil without an anchor.
    public var anchorLoss: Double?

    /// Creates a report.
    public init(gradientNorm: Double, learningRate: Double, perStepGradientNorms: [Double] = [], anchorLoss: Double? = nil) {
        self.gradientNorm = gradientNorm
        self.learningRate = learningRate
        self.perStepGradientNorms = perStepGradientNorms
        self.anchorLoss = anchorLoss
    }
}
