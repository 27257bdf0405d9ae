import ProphRLCore

/// The perturbed-action test (world-model.md §11, issue 8): from one start frame, opposite action chunks
/// (+δ and −δ on one action dimension) must give different videos — more different than two noise seeds of
/// the same chunk — and, with a flow estimator, mean motion of opposite sign.
public struct ActionSensitivity: Sendable, Equatable {
    /// Mean absolute pixel difference (0–255) between the +δ and −δ clips, over all frames.
    public var actionDifference: Double
    /// Mean absolute pixel difference between two seeds of the +δ chunk (the sampler's noise floor).
    public var seedDifference: Double
    /// Mean horizontal flow (pixels per frame) of the +δ clip, when a flow estimator was given.
    public var meanFlowXPositive: Double?
    /// Mean horizontal flow of the −δ clip.
    public var meanFlowXNegative: Double?

    /// Runs the test.
    /// - Parameters:
    ///   - dimension: the action value to perturb (0 = x translation).
    ///   - template: the other values of every step (e.g. the gripper opening); length `flatDimension`.
    /// - Throws: ``ValidationError`` naming `template` or `dimension` when they do not fit.
    public static func measure(_ model: some WorldModel, start: RGBImage, steps: Int, template: [Float], dimension: Int,
                               delta: Float, seed: UInt64, flow: (any OpticalFlowEstimator)?) async throws -> ActionSensitivity {
        guard template.count % ActionChunk.actionDimension == 0, !template.isEmpty else {
            throw ValidationError.invalid(argument: "template", reason: "expected a multiple of 7 values, got \(template.count)")
        }
        guard template.indices.contains(dimension) else {
            throw ValidationError.invalid(argument: "dimension", reason: "expected 0..<\(template.count), got \(dimension)")
        }
        func chunk(_ sign: Float) throws -> ActionChunk {
            var row = template
            row[dimension] = sign * delta
            let effectors = template.count / ActionChunk.actionDimension
            return try ActionChunk(steps: steps, maxEffectors: effectors, values: Array((0..<steps).map { _ in row }.joined()),
                                   validity: Array(repeating: true, count: effectors))
        }
        let context = WorldModelContext(frames: [start])
        let plus = try await model.predict(context: context, actions: chunk(1), seed: seed)
        let minus = try await model.predict(context: context, actions: chunk(-1), seed: seed)
        let plusOtherSeed = try await model.predict(context: context, actions: chunk(1), seed: seed &+ 1)
        func difference(_ a: VideoClip, _ b: VideoClip) -> Double {
            var total = 0.0, count = 0
            for (fa, fb) in zip(a.frames, b.frames) {
                for (pa, pb) in zip(fa.pixels, fb.pixels) { total += abs(Double(pa) - Double(pb)); count += 1 }
            }
            return total / Double(max(count, 1))
        }
        func meanFlowX(_ clip: VideoClip) throws -> Double? {
            guard let flow else { return nil }
            let frames = [start] + clip.frames
            var sum = 0.0, count = 0
            for i in 1..<frames.count {
                let field = try flow.flow(from: frames[i - 1], to: frames[i])
                for k in stride(from: 0, to: field.vectors.count, by: 2) { sum += Double(field.vectors[k]); count += 1 }
            }
            return sum / Double(max(count, 1))
        }
        return ActionSensitivity(actionDifference: difference(plus, minus), seedDifference: difference(plus, plusOtherSeed),
                                 meanFlowXPositive: try meanFlowX(plus), meanFlowXNegative: try meanFlowX(minus))
    }
}
