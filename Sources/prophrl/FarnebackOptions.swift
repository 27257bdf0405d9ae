import ArgumentParser
import FarnebackFlow

/// The Farnebäck parameters as command-line options, with OpenCV's sample defaults (0.5, 3, 15, 3, 5, 1.2, 0).
struct FarnebackOptions: ParsableArguments {
    @Option(help: "Scale between pyramid levels (OpenCV pyr_scale).")
    var pyrScale: Double = 0.5

    @Option(help: "Maximum number of extra pyramid levels (OpenCV levels).")
    var levels: Int = 3

    @Option(help: "Averaging window size (OpenCV winsize).")
    var winsize: Int = 15

    @Option(help: "Solver iterations per level.")
    var iterations: Int = 3

    @Option(help: "Half-width of the polynomial fit window (OpenCV poly_n).")
    var polyN: Int = 5

    @Option(help: "Gaussian σ of the polynomial fit (OpenCV poly_sigma).")
    var polySigma: Double = 1.2

    @Flag(help: "Gaussian instead of box averaging window (OpenCV flag 256).")
    var gaussian = false

    /// The validated parameters.
    func parameters() throws -> FarnebackParameters {
        try FarnebackParameters(pyramidScale: pyrScale, levels: levels, windowSize: winsize, iterations: iterations,
                                polyN: polyN, polySigma: polySigma, gaussianWindow: gaussian)
    }
}
