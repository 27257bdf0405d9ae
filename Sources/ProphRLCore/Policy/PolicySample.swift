/// How a policy turns noise into actions for one call.
public enum PolicySampling: Sendable, Equatable, Hashable {
    /// ODE steps only: the evaluation mode; no log-probs.
    case deterministic
    /// Flow-SDE steps at noise level `eta` with noise drawn from a ``SeededGenerator`` seeded by `seed`.
    case stochastic(eta: Double, seed: UInt64)
}

/// An action chunk proposed by a policy, with the denoising chain that produced it.
public struct PolicySample: Sendable, Equatable {
    /// The executed chunk `x_K`.
    public var chunk: ActionChunk
    /// The chain, for RL updates; nil when the policy does not expose it.
    public var trace: DenoisingTrace?

    /// Creates a sample.
    public init(chunk: ActionChunk, trace: DenoisingTrace?) {
        self.chunk = chunk
        self.trace = trace
    }
}
