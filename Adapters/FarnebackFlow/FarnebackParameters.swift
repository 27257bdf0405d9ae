import ProphRLCore

/// The parameters of `cv2.calcOpticalFlowFarneback`, with OpenCV's sample defaults (0.5, 3, 15, 3, 5, 1.2, 0).
///
/// ```swift
/// let parameters = try FarnebackParameters(levels: 0)   // full resolution only
/// ```
public struct FarnebackParameters: Sendable, Equatable, CustomStringConvertible {
    /// Scale between pyramid levels, in (0, 1).
    public let pyramidScale: Double
    /// Maximum number of extra pyramid levels below full resolution (a level is kept while both sides stay ≥ 32).
    public let levels: Int
    /// Averaging window: box side, or the support of the Gaussian window.
    public let windowSize: Int
    /// Solver iterations per pyramid level.
    public let iterations: Int
    /// Half-width n of the polynomial fit window ((2n+1)² pixels).
    public let polyN: Int
    /// Gaussian applicability σ of the polynomial fit.
    public let polySigma: Double
    /// Gaussian window instead of the box window (OpenCV flag 256).
    public let gaussianWindow: Bool

    /// OpenCV's sample values: 0.5, 3, 15, 3, 5, 1.2, box window.
    public static let opencvDefaults = FarnebackParameters(
        unchecked: 0.5, levels: 3, windowSize: 15, iterations: 3, polyN: 5, polySigma: 1.2, gaussianWindow: false)

    /// Creates validated parameters.
    /// - Throws: ``ValidationError`` naming the parameter that is out of range.
    public init(pyramidScale: Double = 0.5, levels: Int = 3, windowSize: Int = 15, iterations: Int = 3,
                polyN: Int = 5, polySigma: Double = 1.2, gaussianWindow: Bool = false) throws {
        try Validate.finite(pyramidScale, "pyramidScale")
        guard pyramidScale > 0, pyramidScale < 1 else {
            throw ValidationError.outOfRange(argument: "pyramidScale", expected: "in (0, 1)", actual: pyramidScale)
        }
        guard levels >= 0 else {
            throw ValidationError.outOfRange(argument: "levels", expected: ">= 0", actual: Double(levels))
        }
        guard windowSize >= 1 else {
            throw ValidationError.outOfRange(argument: "windowSize", expected: ">= 1", actual: Double(windowSize))
        }
        guard iterations >= 1 else {
            throw ValidationError.outOfRange(argument: "iterations", expected: ">= 1", actual: Double(iterations))
        }
        guard (1...16).contains(polyN) else {
            throw ValidationError.outOfRange(argument: "polyN", expected: "1...16 (OpenCV uses 5 or 7)", actual: Double(polyN))
        }
        try Validate.finite(polySigma, "polySigma")
        guard polySigma >= 0 else {
            throw ValidationError.outOfRange(argument: "polySigma", expected: ">= 0", actual: polySigma)
        }
        self.init(unchecked: pyramidScale, levels: levels, windowSize: windowSize, iterations: iterations,
                  polyN: polyN, polySigma: polySigma, gaussianWindow: gaussianWindow)
    }

    private init(unchecked pyramidScale: Double, levels: Int, windowSize: Int, iterations: Int, polyN: Int,
                 polySigma: Double, gaussianWindow: Bool) {
        self.pyramidScale = pyramidScale
        self.levels = levels
        self.windowSize = windowSize
        self.iterations = iterations
        self.polyN = polyN
        self.polySigma = polySigma
        self.gaussianWindow = gaussianWindow
    }

    /// The number of extra levels actually used for a `width × height` image (flow-eval.md §3.2).
    public func extraLevels(width: Int, height: Int) -> Int {
        var scale = 1.0
        var extra = 0
        for _ in 0..<levels {
            scale *= pyramidScale
            if Double(width) * scale < 32 || Double(height) * scale < 32 { break }
            extra += 1
        }
        return extra
    }

    /// `pyr_scale levels winsize iterations poly_n poly_sigma flags`, as OpenCV's call would read.
    public var description: String {
        "Farneback(\(pyramidScale), \(levels), \(windowSize), \(iterations), \(polyN), \(polySigma), \(gaussianWindow ? 256 : 0))"
    }
}
