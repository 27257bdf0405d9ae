import ProphRLCore
import Testing
@testable import VideoJudge

@Suite struct VideoJudgeEnsembleRewardTests {
    func judge(seed: UInt64, statePoints: Int = 0) throws -> VideoJudge {
        var configuration = VideoJudgeConfiguration()
        configuration.seed = seed
        configuration.statePoints = statePoints
        return try VideoJudge(configuration: configuration)
    }

    func noiseClip(_ rng: inout SeededGenerator) throws -> VideoClip {
        try VideoClip(frames: try (0..<5).map { _ in
            try RGBImage(width: 16, height: 16, pixels: (0..<(16 * 16 * 3)).map { _ in UInt8(rng.next() & 0xFF) })
        }, framesPerSecond: 10)
    }

    @Test func combineIsMeanMinusPenaltyTimesSampleStdClampedToTheUnitInterval() {
        // mean 0.5; sample variance (0.09 + 0.01 + 0.16) / 2 = 0.13.
        #expect(abs(VideoJudgeEnsembleReward.combine([0.2, 0.4, 0.9], penalty: 1) - (0.5 - 0.13.squareRoot())) < 1e-12)
        #expect(abs(VideoJudgeEnsembleReward.combine([0.2, 0.4, 0.9], penalty: 0) - 0.5) < 1e-12)
        #expect(VideoJudgeEnsembleReward.combine([0, 0.5], penalty: 2) == 0)
        #expect(VideoJudgeEnsembleReward.combine([0.7], penalty: 5) == 0.7)
    }

    @Test func oneJudgeEnsembleIsThatJudgesProbabilityWhateverThePenalty() async throws {
        let single = try judge(seed: 5)
        let ensemble = try VideoJudgeEnsembleReward(judges: [single], penalty: 3)
        var rng = SeededGenerator(seed: 8)
        let clip = try noiseClip(&rng)
        let alone = try await VideoJudgeProbabilityReward(judge: single).score(rollout: clip, instruction: "pick up the bottle")
        let together = try await ensemble.score(rollout: clip, instruction: "pick up the bottle")
        #expect(abs(together.reward - alone.reward) < 1e-12 && together.success == alone.success)
    }

    @Test func ensembleScoresEachJudgeOnItsOwnFeaturesAndPenalisesDisagreement() async throws {
        // A video-only judge and one that reads states score the same rollout; each reads what it needs.
        let (a, b) = (try judge(seed: 1), try judge(seed: 2, statePoints: 3))
        let ensemble = try VideoJudgeEnsembleReward(judges: [a, b], penalty: 1.5)
        var rng = SeededGenerator(seed: 9)
        let states = try (0..<4).map { t in
            try RobotState(effectors: [try EndEffectorState(pose: try Pose(position: Vector3(0.4, 0.01 * Double(t), 0.3), rotation: .identity),
                                                            gripper: 1)])
        }
        for _ in 0..<3 {
            let clip = try noiseClip(&rng)
            let pa = try await a.probabilities(features: [try a.features(clip)], instructions: ["place the bowl"])[0]
            let pb = try await b.probabilities(features: [try b.features(clip, states: states)], instructions: ["place the bowl"])[0]
            let verdict = try await ensemble.score(rollout: clip, instruction: "place the bowl", states: states)
            let mean = (pa + pb) / 2, std = abs(pa - pb) / 2.squareRoot()
            #expect(pa != pb)
            #expect(abs(verdict.reward - max(0, mean - 1.5 * std)) < 1e-12, "\(verdict)")
            #expect(verdict.success == (mean >= ensemble.threshold))
        }
        // The state-reading judge cannot score a video alone.
        await #expect(throws: ValidationError.self) { try await ensemble.score(rollout: try noiseClip(&rng), instruction: "place the bowl") }
    }

    @Test func refusesNoJudgesAndANegativePenalty() throws {
        #expect(throws: ValidationError.self) { try VideoJudgeEnsembleReward(judges: [], penalty: 1) }
        #expect(throws: ValidationError.self) { try VideoJudgeEnsembleReward(judges: [try judge(seed: 1)], penalty: -0.5) }
        #expect(throws: ValidationError.self) { try VideoJudgeEnsembleReward(judges: [try judge(seed: 1)], penalty: .nan) }
    }
}
