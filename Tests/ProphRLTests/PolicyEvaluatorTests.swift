@testable import ProphRL
import ProphRLCore
import ProphRLTesting
import Testing

@Suite("Policy evaluator: deterministic and stochastic episodes, recorded states and chunks")
struct PolicyEvaluatorTests {
    func evaluator() throws -> PolicyEvaluator<TrainableLinearPolicy, ChunkTargetEnvironment> {
        let policy = try TrainableLinearPolicy(theta: [Double](repeating: 0.1, count: 14), layout: GRPOTrainerTests.layout,
                                               grid: try .uniform(steps: 4), learningRate: 0.05)
        return PolicyEvaluator(policy: policy, environment: ChunkTargetEnvironment(target: GRPOTrainerTests.target, radius: 0.2),
                               maxChunks: 1)
    }

    @Test("Recording keeps one state and one chunk per executed chunk, frames = 1 + actions")
    func recordsStatesAndChunks() async throws {
        let episode = try await evaluator().episode(task: "hit", seed: 3, record: true)
        #expect(episode.states.count == 1 && episode.chunks.count == 1)
        #expect(episode.frames.count == 1 + episode.actions && episode.chunks[0].steps == episode.actions)
        let bare = try await evaluator().episode(task: "hit", seed: 3)
        #expect(bare.frames.isEmpty && bare.states.isEmpty && bare.chunks.isEmpty)
    }

    @Test("Stochastic sampling (eta) is seeded by the episode seed and differs from the deterministic chunk")
    func stochasticIsSeeded() async throws {
        let e = try evaluator()
        let deterministic = try await e.episode(task: "hit", seed: 3, record: true)
        let a = try await e.episode(task: "hit", seed: 3, record: true, eta: 0.8)
        let b = try await e.episode(task: "hit", seed: 3, record: true, eta: 0.8)
        let c = try await e.episode(task: "hit", seed: 4, record: true, eta: 0.8)
        #expect(a.chunks == b.chunks)
        #expect(a.chunks != deterministic.chunks && a.chunks != c.chunks)
        await #expect(throws: ValidationError.self) { _ = try await e.episode(task: "hit", seed: 3, eta: 0) }
    }

    @Test("A chunk cut short by the end of the episode is recorded with the executed actions only")
    func prefixTruncates() throws {
        let a = try EndEffectorAction(x: 0.1, y: 0, z: 0, roll: 0, pitch: 0, yaw: 0, gripper: 1)
        let b = try EndEffectorAction(x: 0.2, y: 0, z: 0, roll: 0, pitch: 0, yaw: 0, gripper: 0)
        let chunk = try ActionChunk(actions: [[a], [b], [b]], maxEffectors: 1)
        let cut = try PolicyEvaluator<TrainableLinearPolicy, ChunkTargetEnvironment>.prefix(chunk, steps: 1)
        #expect(cut == (try ActionChunk(actions: [[a]], maxEffectors: 1)))
        #expect(try PolicyEvaluator<TrainableLinearPolicy, ChunkTargetEnvironment>.prefix(chunk, steps: 3) == chunk)
    }
}
