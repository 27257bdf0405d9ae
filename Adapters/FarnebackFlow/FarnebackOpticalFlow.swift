import ProphRLCore

/// Dense optical flow by Gunnar Farnebäck's polynomial-expansion method, computed exactly as OpenCV's
/// `calcOpticalFlowFarneback` (CPU path) does, so its flows agree with OpenCV's to about 1e-5 px
/// (flow-eval.md §3).
///
/// ```swift
/// let estimator = FarnebackOpticalFlow()                          // OpenCV's defaults (0.5, 3, 15, 3, 5, 1.2, 0)
/// let field = try estimator.flow(from: frames[0], to: frames[1])  // RGB → OpenCV grey → flow
/// ```
public struct FarnebackOpticalFlow: OpticalFlowEstimator, CustomStringConvertible {
    /// The algorithm's parameters.
    public let parameters: FarnebackParameters
    /// Scratch buffers, one set per concurrent caller.
    private let workspaces = FarnebackWorkspacePool()

    /// Creates an estimator (OpenCV's sample defaults unless given).
    public init(parameters: FarnebackParameters = .opencvDefaults) {
        self.parameters = parameters
    }

    /// `Farneback(pyr_scale, levels, winsize, iterations, poly_n, poly_sigma, flags)`.
    public var description: String { parameters.description }

    /// The flow from `first` to `second` after OpenCV's RGB→grey conversion of both.
    /// - Throws: ``ValidationError`` naming `second` if the sizes differ.
    public func flow(from first: RGBImage, to second: RGBImage) throws -> FlowField {
        if first.width != second.width || first.height != second.height {
            throw ValidationError.shapeMismatch(argument: "second", expected: "\(first.width)×\(first.height) (first's size)",
                                                actual: "\(second.width)×\(second.height)")
        }
        return try flow(previousGrey: Grey.convert(first), nextGrey: Grey.convert(second),
                        width: first.width, height: first.height)
    }

    /// The flow between two 8-bit grey images of `width × height` pixels (row-major).
    /// - Throws: ``ValidationError`` naming the image whose length is not `width · height`.
    public func flow(previousGrey: [UInt8], nextGrey: [UInt8], width: Int, height: Int) throws -> FlowField {
        try Validate.atLeastOne(width, "width")
        try Validate.atLeastOne(height, "height")
        try Validate.count(previousGrey.count, equals: width * height, "previousGrey")
        try Validate.count(nextGrey.count, equals: width * height, "nextGrey")
        let vectors = compute(previous: previousGrey.map(Float.init), next: nextGrey.map(Float.init),
                              width: width, height: height)
        return try FlowField(width: width, height: height, vectors: vectors)
    }

    /// The coarse-to-fine loop of OpenCV's `FarnebackOpticalFlowImpl::calc`; returns interleaved (dx, dy).
    func compute(previous: [Float], next: [Float], width: Int, height: Int) -> [Float] {
        // Buffers are reused across levels and calls: fresh large arrays cost page faults (~25 % at 256×256).
        let work = workspaces.take()
        defer { workspaces.give(work) }
        let p = parameters
        let extra = p.extraLevels(width: width, height: height)
        let expansion = FarnebackPolynomialExpansion(n: p.polyN, sigma: p.polySigma)
        var previousSize = (width: 0, height: 0)
        for k in stride(from: extra, through: 0, by: -1) {
            var scale = 1.0
            for _ in 0..<k { scale *= p.pyramidScale }
            let sigma = (1 / scale - 1) * 0.5
            let blurSize = max(3, FarnebackImageOps.cvRound(sigma * 5) | 1)
            let w = FarnebackImageOps.cvRound(Double(width) * scale), h = FarnebackImageOps.cvRound(Double(height) * scale)
            if previousSize.width == 0 {
                FarnebackImageOps.reserve(&work.flowX, w * h)
                FarnebackImageOps.reserve(&work.flowY, w * h)
                work.flowX.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
                work.flowY.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            } else {
                // Upsample the coarser flow (interleaved, as OpenCV's 2-channel resize) and rescale it. The coarse
                // flow is copied out before the flow buffers may grow (growing does not keep contents).
                let coarse = previousSize.width * previousSize.height
                FarnebackImageOps.reserve(&work.interleaved, 2 * coarse)
                Self.interleave(work.flowX, work.flowY, count: coarse, into: &work.interleaved)
                FarnebackImageOps.reserve(&work.flowX, w * h)
                FarnebackImageOps.reserve(&work.flowY, w * h)
                FarnebackImageOps.resize(work.interleaved, width: previousSize.width, height: previousSize.height,
                                         channels: 2, toWidth: w, toHeight: h, into: &work.upsampled)
                Self.split(work.upsampled, count: w * h, factor: Float(1 / p.pyramidScale), into: &work.flowX, &work.flowY)
            }
            FarnebackImageOps.gaussianBlur(previous, width: width, height: height, size: blurSize, sigma: sigma,
                                           scratch: &work.blurRows, into: &work.blurred)
            FarnebackImageOps.resize(work.blurred, width: width, height: height, channels: 1, toWidth: w, toHeight: h,
                                     into: &work.level)
            expansion.expand(work.level, width: w, height: h, into: &work.expansion0)
            FarnebackImageOps.gaussianBlur(next, width: width, height: height, size: blurSize, sigma: sigma,
                                           scratch: &work.blurRows, into: &work.blurred)
            FarnebackImageOps.resize(work.blurred, width: width, height: height, channels: 1, toWidth: w, toHeight: h,
                                     into: &work.level)
            expansion.expand(work.level, width: w, height: h, into: &work.expansion1)
            let solver = FarnebackSolver(width: w, height: h)
            FarnebackImageOps.reserve(&work.matrices, 5 * w * h)
            solver.updateMatrices(r0: work.expansion0, r1: work.expansion1, flowX: work.flowX, flowY: work.flowY,
                                  into: &work.matrices)
            for i in 0..<p.iterations {
                if p.gaussianWindow {
                    solver.solveGaussian(m: work.matrices, windowSize: p.windowSize, flowX: &work.flowX, flowY: &work.flowY)
                } else {
                    solver.solveBox(m: work.matrices, windowSize: p.windowSize, flowX: &work.flowX, flowY: &work.flowY)
                }
                if i < p.iterations - 1 {
                    solver.updateMatrices(r0: work.expansion0, r1: work.expansion1, flowX: work.flowX, flowY: work.flowY,
                                          into: &work.matrices)
                }
            }
            previousSize = (w, h)
        }
        var result = [Float](repeating: 0, count: 2 * width * height)
        Self.interleave(work.flowX, work.flowY, count: width * height, into: &result)
        return result
    }

    /// `out[2i] = x[i]`, `out[2i+1] = y[i]` for the first `count` elements.
    private static func interleave(_ x: [Float], _ y: [Float], count: Int, into out: inout [Float]) {
        x.withUnsafeBufferPointer { xs in
            y.withUnsafeBufferPointer { ys in
                out.withUnsafeMutableBufferPointer { o in
                    for i in 0..<count { o[2 * i] = xs[i]; o[2 * i + 1] = ys[i] }
                }
            }
        }
    }

    /// `x[i] = v[2i]·factor`, `y[i] = v[2i+1]·factor` for the first `count` elements.
    private static func split(_ v: [Float], count: Int, factor: Float, into x: inout [Float], _ y: inout [Float]) {
        v.withUnsafeBufferPointer { vs in
            x.withUnsafeMutableBufferPointer { xs in
                y.withUnsafeMutableBufferPointer { ys in
                    for i in 0..<count { xs[i] = vs[2 * i] * factor; ys[i] = vs[2 * i + 1] * factor }
                }
            }
        }
    }
}
