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
    /// Mean flow vector (pixels per frame) in the gripper region of the +δ clip, when a ``GripperProbe`` was given.
    public var gripperFlowPositive: [Double]?
    /// Mean flow vector in the gripper region of the −δ clip.
    public var gripperFlowNegative: [Double]?
    /// Cosine between the +δ clip's summed gripper-region flow and the commanded motion of the projected TCP.
    public var gripperCosinePositive: Double?
    /// The same for the −δ clip (its commanded motion points the other way).
    public var gripperCosineNegative: Double?

    /// Where the gripper is: the start state, the camera that sees it and how actions move it. The flow direction
    /// is then measured in a disk of `radius` pixels around the TCP projected at each frame (the commanded pose
    /// integrated from `state`), and compared with the TCP's projected motion.
    public struct GripperProbe: Sendable {
        /// The robot state at the start frame.
        public var state: RobotState
        /// The camera of the video.
        public var camera: PinholeCamera
        /// How the chunk's actions move the tool.
        public var semantics: ActionSemantics
        /// Region radius in pixels.
        public var radius: Double

        /// Creates a probe.
        public init(state: RobotState, camera: PinholeCamera, semantics: ActionSemantics, radius: Double) {
            self.state = state
            self.camera = camera
            self.semantics = semantics
            self.radius = radius
        }
    }

    /// Runs the test.
    /// - Parameters:
    ///   - dimension: the action value to perturb (0 = x translation).
    ///   - template: the other values of every step (e.g. the gripper opening); length `flatDimension`.
    ///   - gripper: with a flow estimator, measures the flow direction around the projected TCP (and gives the
    ///     model the start state).
    /// - Throws: ``ValidationError`` naming `template` or `dimension` when they do not fit, or `gripper.radius`
    ///   when not positive.
    public static func measure(_ model: some WorldModel, start: RGBImage, steps: Int, template: [Float], dimension: Int,
                               delta: Float, seed: UInt64, flow: (any OpticalFlowEstimator)?,
                               gripper: GripperProbe? = nil) async throws -> ActionSensitivity {
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
        if let gripper, !(gripper.radius > 0) {
            throw ValidationError.outOfRange(argument: "gripper.radius", expected: "> 0 pixels", actual: gripper.radius)
        }
        let context = WorldModelContext(frames: [start], state: gripper?.state)
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
        var result = ActionSensitivity(actionDifference: difference(plus, minus), seedDifference: difference(plus, plusOtherSeed),
                                       meanFlowXPositive: try meanFlowX(plus), meanFlowXNegative: try meanFlowX(minus))
        if let flow, let gripper {
            let positive = try gripperFlow(plus, start: start, chunk: chunk(1), probe: gripper, flow: flow)
            let negative = try gripperFlow(minus, start: start, chunk: chunk(-1), probe: gripper, flow: flow)
            result.gripperFlowPositive = positive.mean
            result.gripperFlowNegative = negative.mean
            result.gripperCosinePositive = positive.cosine
            result.gripperCosineNegative = negative.cosine
        }
        return result
    }

    /// Mean flow in the disk around the projected TCP of each frame pair, and the cosine between the summed flow
    /// and the summed projected TCP motion (0 when either is zero or the TCP is never visible).
    static func gripperFlow(_ clip: VideoClip, start: RGBImage, chunk: ActionChunk, probe: GripperProbe,
                            flow: any OpticalFlowEstimator) throws -> (mean: [Double], cosine: Double) {
        let poses = [probe.state] + (try ActionIntegrator(semantics: probe.semantics).integrate(chunk, from: probe.state))
        let frames = [start] + clip.frames
        var sum = (0.0, 0.0), expected = (0.0, 0.0), count = 0
        for i in 1..<min(frames.count, poses.count) {
            let (w, h) = (frames[i].width, frames[i].height)
            guard let tool = poses[i - 1].effectors.first?.pose.position, let next = poses[i].effectors.first?.pose.position,
                  let from = probe.camera.project(tool, width: w, height: h),
                  let to = probe.camera.project(next, width: w, height: h) else { continue }
            expected.0 += to.u - from.u
            expected.1 += to.v - from.v
            let field = try flow.flow(from: frames[i - 1], to: frames[i])
            let r = probe.radius
            // Clamped in floating point first, so a far-off projection cannot overflow `Int`.
            func bound(_ v: Double, _ size: Int) -> Int { Int(min(Double(size - 1), max(0, v.rounded()))) }
            let (x0, x1, y0, y1) = (bound(from.u - r, w), bound(from.u + r, w), bound(from.v - r, h), bound(from.v + r, h))
            for y in y0...y1 {
                for x in x0...x1 {
                    let (dx, dy) = (Double(x) - from.u, Double(y) - from.v)
                    guard dx * dx + dy * dy <= r * r else { continue }
                    let k = 2 * (y * field.width + x)
                    sum.0 += Double(field.vectors[k]); sum.1 += Double(field.vectors[k + 1]); count += 1
                }
            }
        }
        let mean = count > 0 ? [sum.0 / Double(count), sum.1 / Double(count)] : [0, 0]
        let norms = (sum.0 * sum.0 + sum.1 * sum.1).squareRoot() * (expected.0 * expected.0 + expected.1 * expected.1).squareRoot()
        return (mean, norms > 0 ? (sum.0 * expected.0 + sum.1 * expected.1) / norms : 0)
    }
}
