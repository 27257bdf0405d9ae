/// Port: a vision-language-action policy with a flow-matching action head.
///
/// ```swift
/// let sample = try await policy.act(on: observation, sampling: .stochastic(eta: 0.5, seed: 42))
/// try await environment.step(sample.chunk)
/// // sample.trace holds the denoising chain for the FA-GRPO update
/// ```
public protocol ActionPolicy: Sendable {
    /// Actions per chunk (CH) and effector slots (Nmax) the policy emits.
    var chunkLayout: ChunkLayout { get }

    /// Proposes the next chunk of actions for `observation`.
    func act(on observation: Observation, sampling: PolicySampling) async throws -> PolicySample
}

/// The shape of the chunks a policy emits.
public struct ChunkLayout: Sendable, Equatable, Hashable {
    /// Actions per chunk (CH).
    public var steps: Int
    /// End-effector slots (Nmax), including padded ones.
    public var maxEffectors: Int

    /// Creates a layout.
    public init(steps: Int, maxEffectors: Int) {
        self.steps = steps
        self.maxEffectors = maxEffectors
    }

    /// Scalars per action row: `Nmax · 7` (D of the RL layout).
    public var actionDim: Int { maxEffectors * EndEffectorAction.dimension }
}
