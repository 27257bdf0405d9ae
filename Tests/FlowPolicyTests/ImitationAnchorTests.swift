@testable import FlowPolicy
import ProphRLCore
import TensorEngine
import Testing

/// The imitation anchor of a policy-gradient step: its gradient composes linearly with the means gradient's, it
/// lowers the demonstrations' loss on its own, and it respects frozen encoders.
@Suite("FlowPolicy imitation anchor")
struct ImitationAnchorTests {
    func examples() throws -> [DemonstrationExample] {
        var rng = SeededGenerator(seed: 4)
        return try (0..<4).map { i in
            let rows = (0..<2).map { _ in [0.02 * rng.nextGaussian(), -0.02, 0.01, 0, 0, 0.05, Double(i % 2)] }
            return DemonstrationExample(observation: try observation(UInt64(i)),
                                        target: try ActionChunk(actions: try rows.map { [try EndEffectorAction(values: $0)] }, maxEffectors: 1))
        }
    }

    func records(_ policy: FlowPolicy) async throws -> [PolicyStepRecord] {
        let sample = try await policy.act(on: try observation(5), sampling: .stochastic(eta: 0.5, seed: 3))
        return [PolicyStepRecord(observation: try observation(5), trace: try #require(sample.trace))]
    }

    @Test("The anchored gradient is the means gradient plus weight × the imitation gradient (same noise draw)")
    func gradientComposes() async throws {
        let policy = try FlowPolicy(configuration: tinyConfiguration())
        let records = try await records(policy)
        let means = try await policy.transitionMeans(for: records)
        let pull = means.map { $0.map { $0.map { $0 - 0.2 } } }
        let zero = means.map { $0.map { $0.map { _ in 0.0 } } }
        let plain = try await policy.policyGradient(pull, for: records, anchor: nil)
        let anchorOnly = try await policy.policyGradient(zero, for: records, anchor: try ImitationAnchor(examples: try examples(), weight: 1))
        let mixed = try await policy.policyGradient(pull, for: records, anchor: try ImitationAnchor(examples: try examples(), weight: 0.5))
        #expect(plain.anchorLoss == nil && mixed.anchorLoss == anchorOnly.anchorLoss && (mixed.anchorLoss ?? 0) > 0)
        // Per-step norms are the policy gradient's alone (up to the order of the norm's sum over parameters).
        #expect(zip(mixed.perStep, plain.perStep).allSatisfy { abs($0 - $1) < 1e-9 * $1 } && mixed.perStep.count == plain.perStep.count)
        var largest = 0.0, checked = 0
        for (key, g) in mixed.total {
            let a = plain.total[key]?.scalars ?? [Float](repeating: 0, count: g.scalars.count)
            let b = try #require(anchorOnly.total[key]).scalars
            for i in g.scalars.indices {
                let expected = Double(a[i]) + 0.5 * Double(b[i])
                largest = max(largest, abs(Double(g.scalars[i]) - expected) / max(1e-3, abs(expected)))
                checked += 1
            }
        }
        #expect(checked == (await policy.parameterCount) && largest < 1e-4, "largest relative error \(largest) over \(checked)")
    }

    @Test("Anchored steps with a zero means gradient lower the demonstrations' flow-matching loss")
    func anchorAloneImitates() async throws {
        let policy = try FlowPolicy(configuration: tinyConfiguration())
        let records = try await records(policy)
        let zero = try await policy.transitionMeans(for: records).map { $0.map { $0.map { _ in 0.0 } } }
        let anchor = try ImitationAnchor(examples: try examples(), weight: 1)
        var losses: [Double] = []
        for _ in 0..<200 {
            let report = try await policy.applyMeansGradient(zero, for: records, anchor: anchor)
            losses.append(try #require(report.anchorLoss))
        }
        #expect(await policy.policyUpdates == 200)
        let first: Double = losses.prefix(20).reduce(0, +), last: Double = losses.suffix(20).reduce(0, +)
        #expect(last < 0.5 * first, "loss \(losses.prefix(3)) → \(losses.suffix(3))")
    }

    @Test("With frozen observation encoders the anchor changes only the flow action head")
    func anchorRespectsFrozenEncoders() async throws {
        let policy = try FlowPolicy(configuration: tinyConfiguration())
        await policy.freezeObservationEncoders(true)
        let records = try await records(policy)
        let zero = try await policy.transitionMeans(for: records).map { $0.map { $0.map { _ in 0.0 } } }
        let result = try await policy.policyGradient(zero, for: records, anchor: try ImitationAnchor(examples: try examples(), weight: 1))
        #expect(!result.total.isEmpty && result.total.keys.allSatisfy { $0.hasPrefix("velocityField.") }, "\(result.total.keys.sorted())")
    }

    @Test("An anchor without examples or with a negative weight is a typed error")
    func badAnchor() throws {
        #expect(throws: ValidationError.empty(argument: "anchor examples")) { try ImitationAnchor(examples: [], weight: 1) }
        #expect(throws: ValidationError.outOfRange(argument: "anchor weight", expected: ">= 0", actual: -0.5)) {
            try ImitationAnchor(examples: try examples(), weight: -0.5)
        }
    }
}
