/// Demonstrations mixed into a policy-gradient step (PPO-ptx style): their imitation loss, times `weight`, joins
/// the policy-gradient loss before the gradient is clipped, so the update keeps the policy's behaviour on real
/// frames near the demonstrations while RL moves it on the world model's frames.
public struct ImitationAnchor: Sendable, Equatable {
    /// The demonstration examples of this step (a minibatch).
    public var examples: [DemonstrationExample]
    /// The weight λ of the imitation loss against the policy-gradient loss.
    public var weight: Double

    /// Creates an anchor.
    /// - Throws: ``ValidationError`` if `examples` is empty or `weight` is negative or not finite.
    public init(examples: [DemonstrationExample], weight: Double) throws {
        guard !examples.isEmpty else { throw ValidationError.empty(argument: "anchor examples") }
        try Validate.finite(weight, "anchor weight")
        if weight < 0 { throw ValidationError.outOfRange(argument: "anchor weight", expected: ">= 0", actual: weight) }
        self.examples = examples
        self.weight = weight
    }
}
