import Foundation
import ProphRLCore
import TensorEngine
import Testing
@testable import VideoJudge

/// The judge's within-group ranking loss: its value against a computation by hand from the judge's own
/// probabilities, its softplus against the closed form, the refused pairs, and that it teaches the order inside groups.
@Suite struct VideoJudgeRankingTests {
    /// Random feature vectors of the default judge's width.
    private static func features(_ n: Int, seed: UInt64) throws -> (judge: VideoJudge, features: [[Float]]) {
        let judge = try VideoJudge(configuration: VideoJudgeConfiguration())
        var rng = SeededGenerator(seed: seed)
        let width = judge.configuration.videoFeatureCount
        return (judge, (0..<n).map { _ in (0..<width).map { _ in Float(rng.nextUniform() - 0.5) } })
    }

    @Test func softplusMatchesTheClosedFormWithoutOverflow() throws {
        let xs: [Float] = [-60, -8, -1, -0.1, 0, 0.3, 2, 9, 60]
        let values = try VideoJudge.softplus(try Tensor(xs, shape: [xs.count])).scalars
        for (x, value) in zip(xs, values) {
            let expected = Foundation.log1p(Foundation.exp(-Swift.abs(Double(x)))) + Swift.max(Double(x), 0)
            #expect(Swift.abs(Double(value) - expected) <= 1e-5 * Swift.max(1, expected), "softplus(\(x)) = \(value), expected \(expected)")
        }
    }

    @Test func lossIsCrossEntropyPlusWeightedPairwiseLogistic() async throws {
        let (judge, features) = try Self.features(4, seed: 21)
        let labels = [true, false, true, false], instructions = [String](repeating: "pick up the bottle", count: 4)
        let pairs: [(success: Int, failure: Int)] = [(0, 1), (2, 1), (2, 3)]
        let p = try await judge.probabilities(features: features, instructions: instructions)
        let logits = p.map { Foundation.log($0 / (1 - $0)) }
        let crossEntropy = zip(p, labels).map { -Foundation.log($0.1 ? $0.0 : 1 - $0.0) }.reduce(0, +) / 4
        let pairwise = pairs.map { Foundation.log1p(Foundation.exp(-(logits[$0.success] - logits[$0.failure]))) }.reduce(0, +) / 3
        let loss = try await judge.trainStep(features: features, instructions: instructions, labels: labels, pairs: pairs,
                                             rankingWeight: 2.5)
        #expect(Swift.abs(loss - (crossEntropy + 2.5 * pairwise)) < 1e-4, "loss \(loss) vs \(crossEntropy) + 2.5 × \(pairwise)")
    }

    @Test func pairsMustBeASuccessThenAFailureInTheBatch() async throws {
        let (judge, features) = try Self.features(2, seed: 22)
        let labels = [true, false], instructions = ["a", "a"]
        for pairs: [(success: Int, failure: Int)] in [[(1, 0)], [(0, 2)], [(0, 0)]] {
            await #expect(throws: ValidationError.self) {
                try await judge.trainStep(features: features, instructions: instructions, labels: labels, pairs: pairs, rankingWeight: 1)
            }
        }
        await #expect(throws: ValidationError.self) {
            try await judge.trainStep(features: features, instructions: instructions, labels: labels, pairs: [(0, 1)], rankingWeight: -1)
        }
    }

    /// Groups of four where the group's start sets a large common offset (what separates easy starts from hard ones)
    /// and a small per-rollout signal decides the outcome; training with the pairs must rank by that signal.
    @Test func rankingStepsLearnTheOrderInsideGroups() async throws {
        var configuration = VideoJudgeConfiguration()
        configuration.seed = 4
        configuration.sampledFrames = 1
        configuration.imageSize = 4
        configuration.patchSize = 4
        let judge = try VideoJudge(configuration: configuration)
        let width = configuration.videoFeatureCount
        var rng = SeededGenerator(seed: 9)
        func group() -> (features: [[Float]], labels: [Bool]) {
            let offset = Float(rng.nextUniform() - 0.5)
            let labels = [true, false, true, false]
            let features = labels.map { success -> [Float] in
                (0..<width).map { k in k == 0 ? (success ? 0.15 : -0.15) : offset + Float(rng.nextUniform() - 0.5) * 0.1 }
            }
            return (features, labels)
        }
        func withinGroupAUC(_ groups: [(features: [[Float]], labels: [Bool])]) async throws -> Double {
            let p = try await judge.probabilities(features: groups.flatMap(\.features), instructions: [String](repeating: "a", count: 4 * groups.count))
            return RankAgreement.withinGroups(scores: p, labels: groups.flatMap(\.labels), groupSize: 4) ?? 0
        }
        let heldOut = (0..<16).map { _ in group() }
        for _ in 0..<150 {
            let batch = (0..<4).map { _ in group() }
            var pairs: [(success: Int, failure: Int)] = []
            for g in 0..<4 {
                for success in [4 * g, 4 * g + 2] { for failure in [4 * g + 1, 4 * g + 3] { pairs.append((success, failure)) } }
            }
            _ = try await judge.trainStep(features: batch.flatMap(\.features), instructions: [String](repeating: "a", count: 16),
                                          labels: batch.flatMap(\.labels), pairs: pairs, rankingWeight: 20)
        }
        let auc = try await withinGroupAUC(heldOut)
        #expect(auc >= 0.95, "within-group AUC on held-out groups \(auc)")
    }
}
