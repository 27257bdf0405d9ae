import ProphRLCore
import ProphRLTesting
import Testing
@testable import VideoJudge

/// A state trajectory of `count` decisions moving the effector by `step` per decision, gripper closing halfway.
private func trajectory(count: Int, step: (Double, Double, Double), from start: (Double, Double, Double) = (0.4, 0, 0.3)) throws
    -> [RobotState] {
    try (0..<count).map { t in
        let p = Vector3(start.0 + Double(t) * step.0, start.1 + Double(t) * step.1, start.2 + Double(t) * step.2)
        return try RobotState(effectors: [try EndEffectorState(pose: try Pose(position: p, rotation: .identity),
                                                               gripper: t < count / 2 ? 1 : 0)])
    }
}

/// The same grey clip for every rollout: only the states can tell outcomes apart.
private func greyClip() throws -> VideoClip {
    try VideoClip(frames: try (0..<5).map { _ in try RGBImage(width: 16, height: 16, pixels: [UInt8](repeating: 120, count: 768)) },
                  framesPerSecond: 10)
}

/// A judge that also reads the rollout's states (`statePoints`).
@Suite struct StateReadingJudgeTests {
    func configuration(statePoints: Int) -> VideoJudgeConfiguration {
        var c = VideoJudgeConfiguration()
        c.seed = 2
        c.statePoints = statePoints
        (c.sampledFrames, c.imageSize) = (2, 8)  // small video features: the test is about the states
        return c
    }

    @Test func stateFeaturesAreDisplacementsPerTenCentimetresAndTheGripper() throws {
        let states = try trajectory(count: 7, step: (0.01, -0.02, 0.005))
        let features = try VideoJudgeFeatures.stateFeatures(states, configuration(statePoints: 3))
        // Sampled states 0, 3 and 6 (first and last included).
        let expected: [Float] = [0, 0, 0, 1, 0.3, -0.6, 0.15, 0, 0.6, -1.2, 0.3, 0]
        #expect(features.count == 12 && zip(features, expected).allSatisfy { abs($0 - $1) < 1e-5 }, "\(features)")
        #expect(try VideoJudgeFeatures.stateFeatures(states, configuration(statePoints: 0)).isEmpty)
        #expect(throws: ValidationError.self) { try VideoJudgeFeatures.stateFeatures([], configuration(statePoints: 2)) }
    }

    @Test func onlyAStateReadingJudgeSeparatesOutcomesTheVideoCannotShow() async throws {
        // Success: the effector ends lower than it started (a put-down); the video is the same for every rollout.
        var rng = SeededGenerator(seed: 8)
        func dataset(_ n: Int) throws -> [(states: [RobotState], success: Bool)] {
            try (0..<n).map { i in
                let success = i % 2 == 0
                let dz = (success ? -1 : 1) * (0.004 + 0.01 * rng.nextUniform())
                return (try trajectory(count: 6 + i % 5, step: (0.02 * (rng.nextUniform() - 0.5), 0.02 * (rng.nextUniform() - 0.5), dz)), success)
            }
        }
        let train = try dataset(64), heldOut = try dataset(32), clip = try greyClip()
        func accuracy(_ statePoints: Int) async throws -> Double {
            let judge = try VideoJudge(configuration: configuration(statePoints: statePoints))
            let features = try train.map { try judge.features(clip, states: $0.states) }
            for _ in 0..<80 {
                _ = try await judge.trainStep(features: features, instructions: [String](repeating: "place the bowl", count: 64),
                                              labels: train.map(\.success))
            }
            return try await judge.accuracy(features: try heldOut.map { try judge.features(clip, states: $0.states) },
                                            instructions: [String](repeating: "place the bowl", count: 32), labels: heldOut.map(\.success))
        }
        let withStates = try await accuracy(4), videoOnly = try await accuracy(0)
        #expect(withStates >= 0.9, "state-reading judge held-out accuracy \(withStates)")
        #expect(videoOnly <= 0.6, "video-only judge held-out accuracy \(videoOnly)")
    }

    @Test func scoringPathsAndTheirErrors() async throws {
        let states = try trajectory(count: 5, step: (0.01, 0, -0.01)), clip = try greyClip()
        let stateJudge = try VideoJudge(configuration: configuration(statePoints: 2))
        // A state-reading judge needs the states; through the states entry it scores, also as the probability reward.
        await #expect(throws: ValidationError.self) { _ = try await stateJudge.score(rollout: clip, instruction: "x") }
        let verdict = try await stateJudge.score(rollout: clip, instruction: "x", states: states)
        let p = try await VideoJudgeProbabilityReward(judge: stateJudge).score(rollout: clip, instruction: "x", states: states)
        #expect(verdict.success == (p.reward >= 0.5) && p.reward > 0 && p.reward < 1)
        await #expect(throws: ValidationError.self) { _ = try await stateJudge.score(rollout: clip, instruction: "x", states: []) }
        // A video-only judge ignores states, and so does the port's default for any video-only model.
        let videoJudge = try VideoJudge(configuration: configuration(statePoints: 0))
        let a = try await videoJudge.score(rollout: clip, instruction: "x"), b = try await videoJudge.score(rollout: clip, instruction: "x", states: states)
        #expect(a == b)
        let scripted = ScriptedRewardModel { _, _ in RewardVerdict(reward: 1, success: true) }
        #expect(try await scripted.score(rollout: clip, instruction: "x", states: states).reward == 1)
    }

    @Test func checkpointRoundTripKeepsTheStateProjection() async throws {
        let judge = try VideoJudge(configuration: configuration(statePoints: 3))
        let features = [try judge.features(try greyClip(), states: try trajectory(count: 4, step: (0, 0, -0.02)))]
        _ = try await judge.trainStep(features: features, instructions: ["a"], labels: [true])
        let checkpoint = try await judge.checkpoint(step: 1, wallTime: 0)
        #expect(checkpoint.tensors.contains { $0.name.hasPrefix("stateProjection.") })
        var other = configuration(statePoints: 3); other.seed = 9
        let restored = try VideoJudge(configuration: other)
        try await restored.restore(checkpoint)
        #expect(try await judge.probabilities(features: features, instructions: ["a"])
                == (try await restored.probabilities(features: features, instructions: ["a"])))
        // A video-only judge's checkpoint has no state keys, so judges saved before statePoints existed still load.
        let plain = try await VideoJudge(configuration: configuration(statePoints: 0)).checkpoint(step: 0, wallTime: 0)
        #expect(!plain.tensors.contains { $0.name.hasPrefix("stateProjection.") })
        var parsed = VideoJudgeConfiguration()
        try parsed.apply([("statePoints", .integer(5))])
        #expect(parsed.statePoints == 5)
        #expect(throws: ValidationError.self) { var bad = VideoJudgeConfiguration(); bad.statePoints = -1; try bad.validate() }
    }
}
