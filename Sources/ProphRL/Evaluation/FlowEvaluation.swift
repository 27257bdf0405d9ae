import Dispatch
import ProphRLCore
import Synchronization

/// The flow-based evaluation protocol (flow-eval.md §1): flows of consecutive frames of a reference and a
/// generated video (same grey conversion, same estimator), compared by EPE and masked cosine per pair, plus
/// PSNR and SSIM per frame, with mean/median summaries. Flows and frames are computed in parallel.
///
/// ```swift
/// let evaluation = try FlowEvaluation(estimator: FarnebackOpticalFlow(), estimatorName: "Farneback(…)", threads: 2)
/// let report = try evaluation.evaluate(reference: real, generated: generated)
/// print(report.endPointError.mean, report.cosine?.mean ?? .nan)
/// ```
public struct FlowEvaluation: Sendable {
    /// The optical-flow port used for both videos.
    public let estimator: any OpticalFlowEstimator
    /// A name for the estimator and its parameters, recorded in the report.
    public let estimatorName: String
    /// Cosine mask threshold θ in pixels.
    public let cosineThreshold: Double
    /// Worker threads (flows of different pairs run concurrently).
    public let threads: Int

    /// Creates the service.
    /// - Throws: ``ValidationError`` naming `threads` if it is below 1 or `cosineThreshold` if it is negative.
    public init(estimator: any OpticalFlowEstimator, estimatorName: String,
                cosineThreshold: Double = FlowMetrics.defaultThreshold, threads: Int = 1) throws {
        try Validate.atLeastOne(threads, "threads")
        try Validate.finite(cosineThreshold, "cosineThreshold")
        if cosineThreshold < 0 {
            throw ValidationError.outOfRange(argument: "cosineThreshold", expected: ">= 0 pixels", actual: cosineThreshold)
        }
        self.estimator = estimator
        self.estimatorName = estimatorName
        self.cosineThreshold = cosineThreshold
        self.threads = threads
    }

    /// Scores `generated` against `reference` over `frames` (all frames by default).
    /// - Parameters:
    ///   - frames: the frames to evaluate, a half-open range of at least 2 frames inside both videos.
    ///   - conditioningFrames: leading frames of the range left out of PSNR/SSIM (1 for a world-model clip whose
    ///     frame 0 is the real conditioning frame).
    /// - Throws: ``ValidationError`` naming `generated` if the sizes or lengths differ, `frames` if the range
    ///   does not fit, `conditioningFrames` if negative or too large; errors of the estimator.
    public func evaluate(reference: VideoClip, generated: VideoClip, frames: Range<Int>? = nil,
                         conditioningFrames: Int = 0) throws -> FlowEvaluationReport {
        if reference.width != generated.width || reference.height != generated.height {
            throw ValidationError.shapeMismatch(argument: "generated", expected: "\(reference.width)×\(reference.height) (the reference's size)",
                                                actual: "\(generated.width)×\(generated.height)")
        }
        let range: Range<Int>
        if let frames {
            range = frames
            let available = min(reference.frames.count, generated.frames.count)
            guard frames.lowerBound >= 0, frames.upperBound <= available, frames.count >= 2 else {
                throw ValidationError.invalid(argument: "frames",
                                              reason: "expected at least 2 frames within 0..<\(available), got \(frames.lowerBound)..<\(frames.upperBound)")
            }
        } else {
            try Validate.count(generated.frames.count, equals: reference.frames.count, "generated frames")
            range = 0..<reference.frames.count
            if range.count < 2 { throw ValidationError.invalid(argument: "frames", reason: "need at least 2 frames for a flow, got \(range.count)") }
        }
        guard conditioningFrames >= 0, conditioningFrames < range.count else {
            throw ValidationError.outOfRange(argument: "conditioningFrames", expected: "0..<\(range.count)", actual: Double(conditioningFrames))
        }
        let (pairs, frameScores) = try scores(reference: reference, generated: generated, range: range,
                                              scoredFrames: Array(range.dropFirst(conditioningFrames)))
        return try report(firstFrame: range.lowerBound, frameCount: range.count, width: reference.width,
                          height: reference.height, conditioningFrames: conditioningFrames, pairs: pairs, frames: frameScores)
    }

    /// The flow scores of the pairs in `range` and the image scores of `scoredFrames`, computed on `threads`
    /// threads; indices are positions in the clips.
    func scores(reference: VideoClip, generated: VideoClip, range: Range<Int>, scoredFrames scored: [Int]) throws
        -> ([FlowEvaluationReport.PairScores], [FlowEvaluationReport.FrameScores]) {
        let pairCount = range.count - 1
        // Jobs: the reference's flows, the generated video's flows, then the image metrics of each scored frame.
        let jobCount = 2 * pairCount + scored.count
        let flows = Mutex<[FlowField?]>(Array(repeating: nil, count: 2 * pairCount))
        let images = Mutex<[FlowEvaluationReport.FrameScores?]>(Array(repeating: nil, count: scored.count))
        let failure = Mutex<(any Error)?>(nil)
        let estimator = self.estimator
        let workers = max(1, min(threads, jobCount))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for job in stride(from: worker, to: jobCount, by: workers) {
                if failure.withLock({ $0 != nil }) { return }
                do {
                    if job < 2 * pairCount {
                        let clip = job < pairCount ? reference : generated
                        let t = range.lowerBound + job % pairCount
                        let field = try estimator.flow(from: clip.frames[t], to: clip.frames[t + 1])
                        flows.withLock { $0[job] = field }
                    } else {
                        let index = job - 2 * pairCount, t = scored[index]
                        let (g, r) = (generated.frames[t], reference.frames[t])
                        let mse = try ImageMetrics.meanSquaredError(generated: g, reference: r)
                        let scores = FlowEvaluationReport.FrameScores(
                            frame: t, psnr: try ImageMetrics.psnr(generated: g, reference: r),
                            ssim: try ImageMetrics.ssim(generated: g, reference: r), identical: mse == 0)
                        images.withLock { $0[index] = scores }
                    }
                } catch {
                    failure.withLock { if $0 == nil { $0 = error } }
                }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        let fields = flows.withLock { $0 }.compactMap { $0 }
        var pairs: [FlowEvaluationReport.PairScores] = []
        for i in 0..<pairCount {
            let (r, g) = (fields[i], fields[pairCount + i])
            let cosine = try FlowMetrics.cosineSimilarity(generated: g, reference: r, threshold: cosineThreshold)
            pairs.append(.init(frame: range.lowerBound + i, endPointError: try FlowMetrics.endPointError(generated: g, reference: r),
                               cosine: cosine.value, cosinePixels: cosine.pixelCount))
        }
        return (pairs, images.withLock { $0 }.compactMap { $0 })
    }

    /// Assembles the report and its summaries.
    func report(firstFrame: Int, frameCount: Int, width: Int, height: Int, conditioningFrames: Int,
                pairs: [FlowEvaluationReport.PairScores], frames frameScores: [FlowEvaluationReport.FrameScores]) throws
        -> FlowEvaluationReport {
        let cosines = pairs.compactMap(\.cosine)
        return FlowEvaluationReport(
            firstFrame: firstFrame, frameCount: frameCount, width: width, height: height,
            estimator: estimatorName, cosineThreshold: cosineThreshold, conditioningFrames: conditioningFrames,
            pairs: pairs, frames: frameScores,
            endPointError: try MetricSummary(pairs.map(\.endPointError)),
            cosine: cosines.isEmpty ? nil : try MetricSummary(cosines), skippedCosinePairs: pairs.count - cosines.count,
            psnr: frameScores.isEmpty ? nil : try MetricSummary(frameScores.map(\.psnr)),
            ssim: frameScores.isEmpty ? nil : try MetricSummary(frameScores.map(\.ssim)),
            identicalFrames: frameScores.filter(\.identical).count)
    }
}
