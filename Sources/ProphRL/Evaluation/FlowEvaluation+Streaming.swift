import ProphRLCore

/// Streaming form of the protocol: long videos are scored chunk by chunk, holding at most `chunkFrames + 1`
/// frames of each video, with the same result as scoring them whole.
extension FlowEvaluation {
    /// Pulls frames from two sources (nil = end) and scores them like ``evaluate(reference:generated:frames:conditioningFrames:)``.
    ///
    /// ```swift
    /// let report = try evaluation.evaluateStreaming(reference: { try real.nextFrame()?.image },
    ///                                               generated: { try generated.nextFrame()?.image })
    /// ```
    /// - Parameters:
    ///   - firstFrame: frames before this index are skipped.
    ///   - frameLimit: stop after this many frames (from `firstFrame`); nil = until the shorter source ends.
    ///   - conditioningFrames: leading evaluated frames left out of PSNR/SSIM.
    ///   - chunkFrames: frame pairs per chunk (memory bound; parallelism is within a chunk).
    /// - Throws: ``ValidationError`` naming `generated` if the sizes differ, `frames` if fewer than 2 frames are
    ///   available, `chunkFrames` if below 1; errors of the sources and the estimator.
    public func evaluateStreaming(reference: () throws -> RGBImage?, generated: () throws -> RGBImage?,
                                  firstFrame: Int = 0, frameLimit: Int? = nil, conditioningFrames: Int = 0,
                                  chunkFrames: Int = 32) throws -> FlowEvaluationReport {
        try Validate.atLeastOne(chunkFrames, "chunkFrames")
        guard firstFrame >= 0, conditioningFrames >= 0 else {
            throw ValidationError.outOfRange(argument: firstFrame < 0 ? "firstFrame" : "conditioningFrames",
                                             expected: ">= 0", actual: Double(min(firstFrame, conditioningFrames)))
        }
        for _ in 0..<firstFrame {
            guard try reference() != nil, try generated() != nil else {
                throw ValidationError.invalid(argument: "frames", reason: "a video ends before frame \(firstFrame)")
            }
        }
        var pairs: [FlowEvaluationReport.PairScores] = []
        var scored: [FlowEvaluationReport.FrameScores] = []
        var carry: (RGBImage, RGBImage)?
        var base = firstFrame          // index of the chunk's first frame
        var taken = 0                  // frames pulled so far (from firstFrame)
        var size: (Int, Int)?
        while true {
            var r: [RGBImage] = [], g: [RGBImage] = []
            if let (a, b) = carry { r.append(a); g.append(b) }
            while r.count < chunkFrames + 1, frameLimit.map({ taken < $0 }) ?? true,
                  let a = try reference(), let b = try generated() {
                if size == nil { size = (a.width, a.height) }
                if a.width != size?.0 || a.height != size?.1 || b.width != a.width || b.height != a.height {
                    throw ValidationError.shapeMismatch(argument: "generated", expected: "\(size?.0 ?? 0)×\(size?.1 ?? 0) frames",
                                                        actual: "frame \(firstFrame + taken): \(a.width)×\(a.height) vs \(b.width)×\(b.height)")
                }
                r.append(a); g.append(b); taken += 1
            }
            let fresh = carry == nil ? r.count : r.count - 1
            if fresh == 0 || r.count < 2 { break }
            // Score each frame once: skip the carried frame (scored in the previous chunk) and conditioning frames.
            let skip = max(carry == nil ? 0 : 1, firstFrame + conditioningFrames - base)
            let local = Array((0..<r.count).dropFirst(skip))
            let (chunkPairs, chunkScores) = try scores(reference: VideoClip(frames: r, framesPerSecond: 1),
                                                       generated: VideoClip(frames: g, framesPerSecond: 1),
                                                       range: 0..<r.count, scoredFrames: local)
            pairs += chunkPairs.map { .init(frame: $0.frame + base, endPointError: $0.endPointError, cosine: $0.cosine,
                                            cosinePixels: $0.cosinePixels) }
            scored += chunkScores.map { .init(frame: $0.frame + base, psnr: $0.psnr, ssim: $0.ssim, identical: $0.identical) }
            base += r.count - 1
            carry = (r[r.count - 1], g[g.count - 1])
        }
        guard taken >= 2, let size else {
            throw ValidationError.invalid(argument: "frames", reason: "need at least 2 frames in both videos, got \(taken)")
        }
        return try report(firstFrame: firstFrame, frameCount: taken, width: size.0, height: size.1,
                          conditioningFrames: conditioningFrames, pairs: pairs, frames: scored)
    }
}
