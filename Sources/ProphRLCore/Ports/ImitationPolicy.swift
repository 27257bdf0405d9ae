/// Port: a policy that learns by imitation (supervised fine-tuning on demonstrations).
///
/// ```swift
/// let loss = try await policy.imitationStep(on: examples)   // one optimizer step on the flow-matching loss
/// ```
public protocol ImitationPolicy: ActionPolicy {
    /// Takes one optimizer step on the imitation loss of `examples`; returns the loss before the step.
    func imitationStep(on examples: [DemonstrationExample]) async throws -> ImitationStepReport
}

/// One supervised example: what the demonstrator saw and the chunk it executed next.
public struct DemonstrationExample: Sendable, Equatable {
    /// The observation before the chunk.
    public var observation: Observation
    /// The demonstrated chunk (CH actions).
    public var target: ActionChunk

    /// Creates an example.
    public init(observation: Observation, target: ActionChunk) {
        self.observation = observation
        self.target = target
    }
}

/// What one imitation step did.
public struct ImitationStepReport: Sendable, Equatable {
    /// The loss of the batch before the step.
    public var loss: Double
    /// The global gradient norm before clipping.
    public var gradientNorm: Double

    /// Creates a report.
    public init(loss: Double, gradientNorm: Double) {
        self.loss = loss
        self.gradientNorm = gradientNorm
    }
}
