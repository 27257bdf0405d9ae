import ProphRLCore

/// The scores of one generated video against its reference (flow-eval.md §1, §4): per-pair flow EPE and
/// cosine, per-frame PSNR and SSIM, and their summaries.
public struct FlowEvaluationReport: Sendable, Equatable, Codable {
    /// Flow scores of the consecutive-frame pair (`frame`, `frame + 1`).
    public struct PairScores: Sendable, Equatable, Codable {
        /// Index of the pair's first frame in the videos.
        public let frame: Int
        /// Mean end-point error between the two videos' flows (pixels).
        public let endPointError: Double
        /// Masked mean cosine similarity; nil when no pixel moved more than the threshold in either flow.
        public let cosine: Double?
        /// Pixels in the cosine mask.
        public let cosinePixels: Int
    }

    /// Image scores of one frame.
    public struct FrameScores: Sendable, Equatable, Codable {
        /// Index of the frame in the videos.
        public let frame: Int
        /// PSNR in dB (``ImageMetrics/identicalPSNR`` when ``identical``).
        public let psnr: Double
        /// SSIM (mean of the three channels).
        public let ssim: Double
        /// Whether the two frames are identical (PSNR is +∞ mathematically; reported as 100 dB).
        public let identical: Bool
    }

    /// First frame evaluated.
    public let firstFrame: Int
    /// Number of frames evaluated.
    public let frameCount: Int
    /// Frame size (width, height) at which everything was computed.
    public let width: Int, height: Int
    /// The flow estimator and its parameters (e.g. `Farneback(0.5, 3, 15, 3, 5, 1.2, 0)`).
    public let estimator: String
    /// Magnitude threshold θ of the cosine mask (pixels).
    public let cosineThreshold: Double
    /// Leading frames left out of PSNR/SSIM (world-model conditioning frames identical in both videos).
    public let conditioningFrames: Int
    /// Per-pair flow scores, in time order.
    public let pairs: [PairScores]
    /// Per-frame image scores, in time order.
    public let frames: [FrameScores]
    /// Summary of the per-pair EPE.
    public let endPointError: MetricSummary
    /// Summary of the per-pair cosine over pairs with a non-empty mask; nil if every pair was skipped.
    public let cosine: MetricSummary?
    /// Pairs left out of the cosine for an empty mask.
    public let skippedCosinePairs: Int
    /// Summary of per-frame PSNR; nil when no frame is scored.
    public let psnr: MetricSummary?
    /// Summary of per-frame SSIM; nil when no frame is scored.
    public let ssim: MetricSummary?
    /// Frames that are identical in both videos (PSNR flagged as infinite).
    public let identicalFrames: Int
}
