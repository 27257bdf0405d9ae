import ProphRLCore

/// Wraps an environment so the policy sees the robot state integrated from its own actions instead of the measured
/// one — the real-robot protocol of the paper and what the policy sees inside a world model (``WorldModelEnvironment``
/// integrates the same way), so that a physics evaluation can match the state input of RL in imagination.
/// Frames, success and termination come from the wrapped environment; only `observation.state` changes.
///
/// ```swift
/// let environment = ScaledActionEnvironment(base: IntegratedStateEnvironment(base: simulator), scaling: policy.actionScaling)
/// ```
public actor IntegratedStateEnvironment<Base: Environment>: Environment {
    /// The wrapped environment.
    public let base: Base
    /// The base's description.
    public nonisolated let description: EnvironmentDescription
    private let integrator: ActionIntegrator
    private var state: RobotState?

    /// Creates the wrapper; actions are integrated with the base's action semantics.
    public init(base: Base) {
        self.base = base
        description = base.description
        integrator = ActionIntegrator(semantics: base.description.actionSemantics)
    }

    /// Resets the base; the first observation's measured state is the integration's start.
    public func reset(task: String, seed: UInt64) async throws -> Observation {
        let observation = try await base.reset(task: task, seed: seed)
        state = observation.state
        return observation
    }

    /// Steps the base with `chunk` (robot units) and reports the integrated state in place of the measured one.
    /// - Throws: ``ValidationError`` naming `step` before a reset, or what the base or the integrator throws.
    public func step(_ chunk: ActionChunk) async throws -> EnvironmentStep {
        guard let current = state else { throw ValidationError.invalid(argument: "step", reason: "no episode running; call reset") }
        var result = try await base.step(chunk)
        let next = try integrator.integrate(chunk, from: current).last ?? current
        state = next
        result.observation.state = next
        return result
    }

    /// The base's frames before the reset observation.
    public func framesBeforeReset() async -> [RGBImage] { await base.framesBeforeReset() }

    /// Closes the base.
    public func close() async throws {
        state = nil
        try await base.close()
    }
}
