import ProphRLCore

/// Wraps an environment so a policy that acts in normalised action units drives it in robot units
/// (the simulator, Prophet wrapped by ``WorldModelEnvironment``, or the robot).
///
/// ```swift
/// let environment = ScaledActionEnvironment(base: simulator, scaling: policy.actionScaling)
/// ```
public struct ScaledActionEnvironment<Base: Environment>: Environment {
    /// The wrapped environment.
    public let base: Base
    /// Normalised → robot units.
    public let scaling: ActionScaling

    /// Creates the wrapper.
    public init(base: Base, scaling: ActionScaling) {
        self.base = base
        self.scaling = scaling
    }

    /// The base's description.
    public var description: EnvironmentDescription { base.description }

    /// Resets the base.
    public func reset(task: String, seed: UInt64) async throws -> Observation { try await base.reset(task: task, seed: seed) }

    /// The base's frames before the reset observation.
    public func framesBeforeReset() async -> [RGBImage] { await base.framesBeforeReset() }

    /// Steps the base with the chunk mapped to robot units.
    public func step(_ chunk: ActionChunk) async throws -> EnvironmentStep { try await base.step(try scaling.toRobot(chunk)) }

    /// Closes the base.
    public func close() async throws { try await base.close() }
}
