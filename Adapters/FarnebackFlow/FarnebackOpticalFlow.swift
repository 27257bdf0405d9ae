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
        let p = parameters
        let extra = p.extraLevels(width: width, height: height)
        let expansion = FarnebackPolynomialExpansion(n: p.polyN, sigma: p.polySigma)
        var flowX: [Float] = [], flowY: [Float] = []
        var previousSize = (width: 0, height: 0)
        for k in stride(from: extra, through: 0, by: -1) {
            var scale = 1.0
            for _ in 0..<k { scale *= p.pyramidScale }
            let sigma = (1 / scale - 1) * 0.5
            let blurSize = max(3, FarnebackImageOps.cvRound(sigma * 5) | 1)
            let w = FarnebackImageOps.cvRound(Double(width) * scale), h = FarnebackImageOps.cvRound(Double(height) * scale)
            if flowX.isEmpty {
                flowX = [Float](repeating: 0, count: w * h)
                flowY = flowX
            } else {
                // Upsample the coarser flow (interleaved, as OpenCV's 2-channel resize) and rescale it.
                var interleaved = [Float](repeating: 0, count: 2 * flowX.count)
                for i in flowX.indices { interleaved[2 * i] = flowX[i]; interleaved[2 * i + 1] = flowY[i] }
                let up = FarnebackImageOps.resize(interleaved, width: previousSize.width, height: previousSize.height,
                                                  channels: 2, toWidth: w, toHeight: h)
                let factor = Float(1 / p.pyramidScale)
                flowX = (0..<(w * h)).map { up[2 * $0] * factor }
                flowY = (0..<(w * h)).map { up[2 * $0 + 1] * factor }
            }
            let expansions = [previous, next].map { image -> [Float] in
                let blurred = FarnebackImageOps.gaussianBlur(image, width: width, height: height, size: blurSize, sigma: sigma)
                let level = FarnebackImageOps.resize(blurred, width: width, height: height, channels: 1, toWidth: w, toHeight: h)
                return expansion.expand(level, width: w, height: h)
            }
            let solver = FarnebackSolver(width: w, height: h)
            var m = [Float](repeating: 0, count: 5 * w * h)
            solver.updateMatrices(r0: expansions[0], r1: expansions[1], flowX: flowX, flowY: flowY, into: &m)
            for i in 0..<p.iterations {
                if p.gaussianWindow {
                    solver.solveGaussian(m: m, windowSize: p.windowSize, flowX: &flowX, flowY: &flowY)
                } else {
                    solver.solveBox(m: m, windowSize: p.windowSize, flowX: &flowX, flowY: &flowY)
                }
                if i < p.iterations - 1 {
                    solver.updateMatrices(r0: expansions[0], r1: expansions[1], flowX: flowX, flowY: flowY, into: &m)
                }
            }
            previousSize = (w, h)
        }
        var result = [Float](repeating: 0, count: 2 * width * height)
        for i in flowX.indices { result[2 * i] = flowX[i]; result[2 * i + 1] = flowY[i] }
        return result
    }
}
