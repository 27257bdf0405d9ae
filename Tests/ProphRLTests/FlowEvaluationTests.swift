import Foundation
import ProphRL
import ProphRLCore
import ProphRLTesting
import Testing

/// The evaluation protocol against the global-shift fake estimator, on videos with known motion.
@Suite struct FlowEvaluationTests {
    /// A periodic texture moved by (vx, vy) pixels per frame (wrap-around, so the fake finds the exact shift).
    static func video(frames: Int = 5, vx: Int, vy: Int, tint: UInt8 = 0) throws -> VideoClip {
        var base = try RGBImage(width: 24, height: 24)
        for y in 0..<24 {
            for x in 0..<24 { base[x, y] = (UInt8((x * 37 + y * 11) % 200), UInt8((x * x + 3 * y) % 256), tint) }
        }
        let images = (0..<frames).map { TranslatingWorldModel.shifted(base, dx: vx * $0, dy: vy * $0) }
        return try VideoClip(frames: images, framesPerSecond: 10)
    }

    static func service(threads: Int = 1) throws -> FlowEvaluation {
        try FlowEvaluation(estimator: GlobalShiftFlowEstimator(radius: 3), estimatorName: "global-shift", threads: threads)
    }

    @Test func identicalVideosScorePerfectly() throws {
        let clip = try Self.video(vx: 2, vy: 0)
        let report = try Self.service().evaluate(reference: clip, generated: clip)
        #expect(report.pairs.count == 4 && report.frames.count == 5)
        #expect(report.endPointError.mean == 0 && report.endPointError.maximum == 0)
        #expect(report.cosine?.mean == 1)
        #expect(report.frames.allSatisfy { $0.identical && $0.psnr == ImageMetrics.identicalPSNR && $0.ssim == 1 })
        #expect(report.identicalFrames == 5 && report.skippedCosinePairs == 0)
        #expect(report.estimator == "global-shift" && report.cosineThreshold == FlowMetrics.defaultThreshold)
    }

    @Test func perpendicularAndOppositeMotion() throws {
        let reference = try Self.video(vx: 2, vy: 0)
        let perpendicular = try Self.service().evaluate(reference: reference, generated: Self.video(vx: 0, vy: 2))
        #expect(abs(perpendicular.endPointError.mean - 2 * 2.0.squareRoot()) < 1e-12)
        #expect(perpendicular.cosine?.mean == 0)
        let opposite = try Self.service().evaluate(reference: reference, generated: Self.video(vx: -2, vy: 0))
        #expect(opposite.endPointError.median == 4)
        #expect(opposite.cosine?.mean == -1)
        #expect(opposite.frames[0].identical && !opposite.frames[1].identical)
    }

    @Test func stillVideosSkipTheCosine() throws {
        let still = try Self.video(vx: 0, vy: 0)
        let report = try Self.service().evaluate(reference: still, generated: still)
        #expect(report.cosine == nil && report.skippedCosinePairs == 4)
    }

    @Test func rangeAndConditioningFrames() throws {
        let reference = try Self.video(frames: 8, vx: 1, vy: 0), generated = try Self.video(frames: 8, vx: 1, vy: 0, tint: 9)
        let report = try Self.service().evaluate(reference: reference, generated: generated, frames: 2..<6, conditioningFrames: 1)
        #expect(report.pairs.map(\.frame) == [2, 3, 4])
        #expect(report.frames.map(\.frame) == [3, 4, 5])
        #expect(report.firstFrame == 2 && report.frameCount == 4)
        // Only the blue channel differs, by 9 everywhere: MSE = 81/3 = 27.
        let expected = 10 * log10(255 * 255 / 27.0)
        #expect(abs(report.psnr!.mean - expected) < 1e-9)
    }

    @Test func parallelEqualsSerial() throws {
        let reference = try Self.video(frames: 7, vx: 1, vy: -1), generated = try Self.video(frames: 7, vx: 2, vy: 0, tint: 40)
        let serial = try Self.service(threads: 1).evaluate(reference: reference, generated: generated)
        let parallel = try Self.service(threads: 2).evaluate(reference: reference, generated: generated)
        #expect(serial == parallel)
    }

    @Test func rejectsMismatchedInput() throws {
        let a = try Self.video(frames: 5, vx: 1, vy: 0), b = try Self.video(frames: 4, vx: 1, vy: 0)
        #expect(throws: ValidationError.self) { try Self.service().evaluate(reference: a, generated: b) }
        #expect(throws: ValidationError.self) { try Self.service().evaluate(reference: a, generated: a, frames: 3..<9) }
        #expect(throws: ValidationError.self) { try Self.service().evaluate(reference: a, generated: a, frames: 0..<1) }
        #expect(throws: ValidationError.self) { try Self.service().evaluate(reference: a, generated: a, conditioningFrames: 5) }
        #expect(throws: ValidationError.self) { try FlowEvaluation(estimator: GlobalShiftFlowEstimator(), estimatorName: "x", threads: 0) }
    }
}

/// The streaming form gives the same report as scoring the whole clips, for any chunk size.
@Suite struct FlowEvaluationStreamingTests {
    static func source(_ clip: VideoClip) -> () throws -> RGBImage? {
        var index = 0
        return {
            defer { index += 1 }
            return index < clip.frames.count ? clip.frames[index] : nil
        }
    }

    @Test(arguments: [1, 2, 3, 4, 100])
    func streamingEqualsWhole(chunk: Int) throws {
        let reference = try FlowEvaluationTests.video(frames: 9, vx: 1, vy: -1)
        let generated = try FlowEvaluationTests.video(frames: 9, vx: 2, vy: 0, tint: 30)
        let service = try FlowEvaluationTests.service(threads: 2)
        let whole = try service.evaluate(reference: reference, generated: generated, conditioningFrames: 1)
        let streamed = try service.evaluateStreaming(reference: Self.source(reference), generated: Self.source(generated),
                                                     conditioningFrames: 1, chunkFrames: chunk)
        #expect(streamed == whole)
        let part = try service.evaluate(reference: reference, generated: generated, frames: 2..<7, conditioningFrames: 2)
        let streamedPart = try service.evaluateStreaming(reference: Self.source(reference), generated: Self.source(generated),
                                                         firstFrame: 2, frameLimit: 5, conditioningFrames: 2, chunkFrames: chunk)
        #expect(streamedPart == part)
    }

    @Test func streamingStopsAtTheShorterVideoAndRejectsTooFewFrames() throws {
        let long = try FlowEvaluationTests.video(frames: 6, vx: 1, vy: 0), short = try FlowEvaluationTests.video(frames: 4, vx: 1, vy: 0)
        let service = try FlowEvaluationTests.service()
        let report = try service.evaluateStreaming(reference: Self.source(long), generated: Self.source(short), chunkFrames: 2)
        #expect(report.frameCount == 4 && report.pairs.count == 3)
        let single = try FlowEvaluationTests.video(frames: 1, vx: 0, vy: 0)
        #expect(throws: ValidationError.self) {
            try service.evaluateStreaming(reference: Self.source(single), generated: Self.source(single))
        }
        #expect(throws: ValidationError.self) {
            try service.evaluateStreaming(reference: Self.source(long), generated: Self.source(long), firstFrame: 9)
        }
    }
}
