import Foundation
import ProphRLCore
import ProphRLTesting
import Testing
@testable import VideoJudge

/// Synthetic rollouts: noisy grey frames; in "successful" ones a bright square appears in the later frames
/// (at a random place), in failed ones it never does.
private func syntheticClip(success: Bool, rng: inout SeededGenerator, size: Int = 32, frames: Int = 9) throws -> VideoClip {
    let x0 = Int(rng.nextUniform() * Double(size - 10)), y0 = Int(rng.nextUniform() * Double(size - 10))
    var images: [RGBImage] = []
    for t in 0..<frames {
        var pixels = [UInt8](repeating: 0, count: size * size * 3)
        for i in 0..<pixels.count { pixels[i] = UInt8(100 + Int(rng.nextUniform() * 40)) }
        if success && t >= frames / 2 {
            for y in y0..<(y0 + 10) { for x in x0..<(x0 + 10) { let o = (y * size + x) * 3; pixels[o] = 250; pixels[o + 1] = 30; pixels[o + 2] = 30 } }
        }
        images.append(try RGBImage(width: size, height: size, pixels: pixels))
    }
    return try VideoClip(frames: images, framesPerSecond: 10)
}

@Suite struct VideoJudgeTests {
    @Test func frameIndicesIncludeFirstAndLast() {
        #expect(VideoJudgeFeatures.frameIndices(count: 9, sampled: 4) == [0, 3, 5, 8])
        #expect(VideoJudgeFeatures.frameIndices(count: 80, sampled: 1) == [79])
        #expect(VideoJudgeFeatures.frameIndices(count: 2, sampled: 4).last == 1)
    }

    @Test func tinyTrainingSeparatesTwoSyntheticClasses() async throws {
        var configuration = VideoJudgeConfiguration()
        configuration.seed = 3
        let judge = try VideoJudge(configuration: configuration)
        var rng = SeededGenerator(seed: 11)
        func dataset(_ n: Int) throws -> (features: [[Float]], labels: [Bool]) {
            var features: [[Float]] = [], labels: [Bool] = []
            for i in 0..<n {
                let success = i % 2 == 0
                features.append(try judge.features(try syntheticClip(success: success, rng: &rng)))
                labels.append(success)
            }
            return (features, labels)
        }
        let train = try dataset(64), heldOut = try dataset(32)
        let instructions = { (n: Int) in [String](repeating: "pick up the bottle", count: n) }
        let before = try await judge.accuracy(features: heldOut.features, instructions: instructions(32), labels: heldOut.labels)
        var firstLoss = 0.0, lastLoss = 0.0
        for step in 0..<60 {
            let loss = try await judge.trainStep(features: train.features, instructions: instructions(64), labels: train.labels)
            if step == 0 { firstLoss = loss }
            lastLoss = loss
        }
        let after = try await judge.accuracy(features: heldOut.features, instructions: instructions(32), labels: heldOut.labels)
        #expect(lastLoss < 0.5 * firstLoss, "loss \(firstLoss) → \(lastLoss)")
        #expect(after >= 0.95, "held-out accuracy \(before) → \(after)")
        let verdict = try await judge.score(rollout: try syntheticClip(success: true, rng: &rng), instruction: "pick up the bottle")
        #expect(verdict.success && verdict.reward == 1)
    }

    @Test func satisfiesTheRewardModelContract() async throws {
        let judge = try VideoJudge(configuration: VideoJudgeConfiguration())
        var rng = SeededGenerator(seed: 5)
        try await PortContracts.checkRewardModel(judge, rollout: try syntheticClip(success: true, rng: &rng), instruction: "place the cube")
    }

    @Test func checkpointRoundTripGivesTheSameProbabilities() async throws {
        let judge = try VideoJudge(configuration: VideoJudgeConfiguration())
        var rng = SeededGenerator(seed: 6)
        let features = [try judge.features(try syntheticClip(success: true, rng: &rng))]
        _ = try await judge.trainStep(features: features, instructions: ["a"], labels: [true])
        var other = VideoJudgeConfiguration(); other.seed = 99
        let restored = try VideoJudge(configuration: other)
        try await restored.restore(try await judge.checkpoint(step: 1, wallTime: 0))
        let a = try await judge.probabilities(features: features, instructions: ["a"])
        let b = try await restored.probabilities(features: features, instructions: ["a"])
        #expect(a == b)
    }

    @Test func differenceFramesAreEachFramesChangeFromTheFirst() throws {
        var plain = VideoJudgeConfiguration()
        plain.sampledFrames = 3
        var difference = plain
        difference.differenceFrames = 1
        var rng = SeededGenerator(seed: 12)
        let clip = try syntheticClip(success: true, rng: &rng)
        let a = try VideoJudgeFeatures.features(clip, plain), b = try VideoJudgeFeatures.features(clip, difference)
        let frame = plain.imageSize * plain.imageSize * 3
        #expect(a.count == b.count && a.count == 3 * frame)
        #expect(b.prefix(frame).allSatisfy { $0 == 0 })
        for i in frame..<a.count { #expect(Swift.abs(b[i] - (a[i] - a[i % frame])) < 1e-6) }
        #expect(b.suffix(frame).contains { Swift.abs($0) > 0.3 }, "the square appears in the last frame")
        var bad = plain
        #expect(throws: ValidationError.self) { try bad.apply([("differenceFrames", .integer(2))]); try bad.validate() }
        var parsed = VideoJudgeConfiguration()
        guard case .object(let members) = difference.json else { Issue.record("json is not an object"); return }
        try parsed.apply(members)
        #expect(parsed == difference)
    }

    @Test func badInputsAreTypedErrors() async throws {
        var bad = VideoJudgeConfiguration(); bad.patchSize = 5
        #expect(throws: ValidationError.self) { try VideoJudge(configuration: bad) }
        var config = VideoJudgeConfiguration()
        #expect(throws: ValidationError.self) { try config.apply([("frames", .integer(3))]) }
        let judge = try VideoJudge(configuration: config)
        await #expect(throws: ValidationError.self) { try await judge.trainStep(features: [[0, 1]], instructions: ["x"], labels: [true]) }
        let tiny = try VideoClip(frames: [try RGBImage(width: 8, height: 8, pixels: [UInt8](repeating: 0, count: 192))], framesPerSecond: 10)
        await #expect(throws: ValidationError.self) { _ = try await judge.score(rollout: tiny, instruction: "x") }
    }
}

/// The wider judge of docs/results.md part 7 stays a valid configuration.
@Suite struct CommittedJudgeConfigTests {
    @Test func wideJudgeConfigParsesAndBuilds() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("configs/judge-wide.json"), encoding: .utf8)
        guard case .object(let members) = try JSONValue.parse(text) else { Issue.record("judge-wide.json is not an object"); return }
        var configuration = VideoJudgeConfiguration()
        try configuration.apply(members)
        #expect(configuration.imageSize == 32 && configuration.sampledFrames == 6 && configuration.hiddenWidth == 64)
        let judge = try VideoJudge(configuration: configuration)
        #expect(await judge.parameterCount > 13_233, "wider than the default judge")
    }
}
