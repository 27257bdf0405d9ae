import ProphRLCore
import Testing
@testable import VideoJudge

@Suite struct VideoJudgeProbabilityRewardTests {
    @Test func rewardIsTheJudgesProbabilityAndSuccessItsThresholdedVerdict() async throws {
        var configuration = VideoJudgeConfiguration()
        configuration.seed = 5
        let judge = try VideoJudge(configuration: configuration)
        let reward = VideoJudgeProbabilityReward(judge: judge)
        var rng = SeededGenerator(seed: 8)
        for _ in 0..<3 {
            let frames = try (0..<5).map { _ in
                try RGBImage(width: 16, height: 16, pixels: (0..<(16 * 16 * 3)).map { _ in UInt8(rng.next() & 0xFF) })
            }
            let clip = try VideoClip(frames: frames, framesPerSecond: 10)
            let p = try await judge.probabilities(features: [try judge.features(clip)], instructions: ["pick up the bottle"])[0]
            let verdict = try await reward.score(rollout: clip, instruction: "pick up the bottle")
            let binary = try await judge.score(rollout: clip, instruction: "pick up the bottle")
            #expect(abs(verdict.reward - p) < 1e-12)
            #expect(verdict.reward > 0 && verdict.reward < 1)
            #expect(verdict.success == binary.success && binary.reward == (binary.success ? 1 : 0))
        }
    }
}
