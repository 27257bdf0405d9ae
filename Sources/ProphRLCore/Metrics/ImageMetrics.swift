import RealModule

/// PSNR and SSIM between a generated and a reference 8-bit RGB frame (flow-eval.md §4.2), on
/// values in [0, 255] (L = 255) converted to Double.
///
/// - PSNR: `10·log10(255² / MSE)`, MSE over all pixels and the 3 channels; identical frames
///   (MSE = 0) give ``identicalPSNR`` = 100 dB, as the spec fixes (not +∞, so means stay finite).
/// - SSIM (Wang et al. 2004) per channel with an 11×11 Gaussian window, σ = 1.5, normalised to
///   sum 1; `C1 = (0.01·255)²`, `C2 = (0.03·255)²`; population (biased) local moments; only the
///   "valid" window positions, a `(H−10)×(W−10)` map, averaged; frame SSIM = mean of the 3
///   channels. Equals scikit-image `structural_similarity(gaussian_weights=True, sigma=1.5,
///   use_sample_covariance=False, data_range=255, channel_axis=-1)`.
public enum ImageMetrics {
    /// PSNR reported for identical frames (dB).
    public static let identicalPSNR = 100.0
    /// Side of the SSIM window.
    public static let ssimWindowSize = 11
    /// Standard deviation of the SSIM Gaussian window (pixels).
    public static let ssimSigma = 1.5
    /// SSIM stabiliser `(K1·L)²`, K1 = 0.01, L = 255.
    public static let c1 = (0.01 * 255.0) * (0.01 * 255.0)
    /// SSIM stabiliser `(K2·L)²`, K2 = 0.03, L = 255.
    public static let c2 = (0.03 * 255.0) * (0.03 * 255.0)

    /// The normalised 1-D Gaussian weights `exp(−x²/(2σ²))`, x = −5…5; the 2-D window is their outer product.
    public static let gaussianWindow: [Double] = {
        let half = ssimWindowSize / 2
        let raw = (-half...half).map { Double.exp(-Double($0 * $0) / (2 * ssimSigma * ssimSigma)) }
        let total = raw.reduce(0, +)
        return raw.map { $0 / total }
    }()

    /// Mean squared error over all pixels and channels.
    /// - Throws: ``ValidationError`` naming `reference` if the sizes differ.
    public static func meanSquaredError(generated: RGBImage, reference: RGBImage) throws -> Double {
        try check(generated: generated, reference: reference)
        var sum = 0.0
        for (a, b) in zip(generated.pixels, reference.pixels) {
            let d = Double(a) - Double(b)
            sum += d * d
        }
        return sum / Double(generated.pixels.count)
    }

    /// Peak signal-to-noise ratio in dB; identical frames give `identical` (the spec's 100 dB by
    /// default; pass `.infinity` for the mathematical limit).
    /// - Throws: ``ValidationError`` naming `reference` if the sizes differ, or `identical` if it is NaN.
    public static func psnr(generated: RGBImage, reference: RGBImage, identical: Double = identicalPSNR) throws -> Double {
        if identical.isNaN { throw ValidationError.nonFinite(argument: "identical", index: 0, value: identical) }
        let mse = try meanSquaredError(generated: generated, reference: reference)
        return mse == 0 ? identical : 10 * Double.log10(255 * 255 / mse)
    }

    /// SSIM of each channel (R, G, B).
    /// - Throws: ``ValidationError`` naming `reference` if the sizes differ, or `generated` if it is
    ///   smaller than the 11×11 window.
    public static func ssimPerChannel(generated: RGBImage, reference: RGBImage) throws -> [Double] {
        try check(generated: generated, reference: reference)
        let (w, h) = (generated.width, generated.height)
        if w < ssimWindowSize || h < ssimWindowSize {
            throw ValidationError.shapeMismatch(argument: "generated",
                                                expected: "at least \(ssimWindowSize)×\(ssimWindowSize) pixels",
                                                actual: "\(w)×\(h)")
        }
        return (0..<3).map { channel in
            let a = stride(from: channel, to: generated.pixels.count, by: 3).map { Double(generated.pixels[$0]) }
            let b = stride(from: channel, to: reference.pixels.count, by: 3).map { Double(reference.pixels[$0]) }
            return ssimPlane(a, b, width: w, height: h)
        }
    }

    /// SSIM of a frame: the mean of the three channels' SSIM.
    /// - Throws: as ``ssimPerChannel(generated:reference:)``.
    public static func ssim(generated: RGBImage, reference: RGBImage) throws -> Double {
        try ssimPerChannel(generated: generated, reference: reference).reduce(0, +) / 3
    }

    /// PSNR and SSIM of a clip.
    public struct ClipScores: Sendable, Equatable {
        /// Mean per-frame PSNR (dB).
        public let psnr: Double
        /// Mean per-frame SSIM.
        public let ssim: Double
    }

    /// Mean per-frame PSNR and SSIM of a clip (frames paired by index).
    /// - Throws: ``ValidationError`` naming `generated` if it is empty, `reference` if the counts or
    ///   sizes differ, as the per-frame metrics otherwise.
    public static func clipScores(generated: [RGBImage], reference: [RGBImage]) throws -> ClipScores {
        if generated.isEmpty { throw ValidationError.empty(argument: "generated") }
        try Validate.count(reference.count, equals: generated.count, "reference")
        var psnrSum = 0.0, ssimSum = 0.0
        for (g, r) in zip(generated, reference) {
            psnrSum += try psnr(generated: g, reference: r)
            ssimSum += try ssim(generated: g, reference: r)
        }
        return ClipScores(psnr: psnrSum / Double(generated.count), ssim: ssimSum / Double(generated.count))
    }

    /// Mean SSIM map of one channel; separable valid filtering of a, b, a², b², ab.
    static func ssimPlane(_ a: [Double], _ b: [Double], width w: Int, height h: Int) -> Double {
        let k = gaussianWindow, n = ssimWindowSize
        let (ow, oh) = (w - n + 1, h - n + 1)
        let sources = [a, b, zip(a, a).map(*), zip(b, b).map(*), zip(a, b).map(*)]
        // Horizontal pass: h rows × ow columns; then vertical: oh × ow.
        let filtered: [[Double]] = sources.map { plane in
            var rows = [Double](repeating: 0, count: h * ow)
            for y in 0..<h {
                for x in 0..<ow {
                    var s = 0.0
                    for i in 0..<n { s += k[i] * plane[y * w + x + i] }
                    rows[y * ow + x] = s
                }
            }
            var out = [Double](repeating: 0, count: oh * ow)
            for y in 0..<oh {
                for x in 0..<ow {
                    var s = 0.0
                    for i in 0..<n { s += k[i] * rows[(y + i) * ow + x] }
                    out[y * ow + x] = s
                }
            }
            return out
        }
        var total = 0.0
        for p in 0..<(oh * ow) {
            let (muA, muB) = (filtered[0][p], filtered[1][p])
            let varA = filtered[2][p] - muA * muA
            let varB = filtered[3][p] - muB * muB
            let cov = filtered[4][p] - muA * muB
            total += ((2 * muA * muB + c1) * (2 * cov + c2)) / ((muA * muA + muB * muB + c1) * (varA + varB + c2))
        }
        return total / Double(oh * ow)
    }

    private static func check(generated: RGBImage, reference: RGBImage) throws {
        if generated.width != reference.width || generated.height != reference.height {
            throw ValidationError.shapeMismatch(argument: "reference",
                                                expected: "\(generated.width)×\(generated.height) (generated's size)",
                                                actual: "\(reference.width)×\(reference.height)")
        }
        // `pixels` is mutable, so its length is checked again here.
        try Validate.count(generated.pixels.count, equals: generated.width * generated.height * 3, "generated.pixels")
        try Validate.count(reference.pixels.count, equals: reference.width * reference.height * 3, "reference.pixels")
    }
}
