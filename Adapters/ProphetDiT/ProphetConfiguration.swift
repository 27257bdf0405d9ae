import ProphRLCore

/// Sizes and switches of a Prophet world model (world-model.md §1, §10).
public struct ProphetConfiguration: Sendable, Equatable, Codable {
    /// Frame width and height in pixels (multiples of 16).
    public var width: Int
    /// Frame height in pixels (a multiple of 16).
    public var height: Int
    /// New frames per chunk (T, a multiple of 4).
    public var chunkFrames: Int
    /// Values per action step (N effectors × 7).
    public var actionDimension: Int
    /// Autoencoder latent channels.
    public var latentChannels: Int
    /// Autoencoder widths of the three stride-2 stages.
    public var encoderWidths: [Int]
    /// DiT width D.
    public var modelWidth: Int
    /// DiT depth (blocks).
    public var depth: Int
    /// Attention heads.
    public var heads: Int
    /// adaLN-LoRA rank r.
    public var adaLNRank: Int
    /// History latents kept in memory (15 = 60 frames).
    public var historyLatents: Int
    /// Path 1 of the dual action conditioning: action chunk MLP into the timestep embedding and adaLN bias.
    public var actionConditioning: Bool
    /// Path 2: action-frame latents concatenated on channels.
    public var actionFrames: Bool
    /// FramePack-style history memory K/V in every block.
    public var historyMemory: Bool
    /// RoPE on the memory keys at their pooled positions (world-model.md §4.2); nil in runs saved before the switch
    /// existed, which read as off.
    public var memoryRoPE: Bool?
    /// Width of the autoencoder's reference-frame refiner (``CausalVideoAutoencoder/decode(_:reference:)``); nil: none
    /// (runs saved before it existed, and new runs until `world sharpen` trains one).
    public var referenceRefinerWidth: Int?
    /// Timestep scaling factor s_t of the sinusoidal embedding.
    public var timestepScale: Float
    /// Spatial downsampling of the autoencoder, 8 or 4 (a 16×16 latent at 64×64, for small objects); nil: 8, as in
    /// every run saved before the option existed.
    public var latentDownsampling: Int?
    /// Frames per second of the video.
    public var framesPerSecond: Double
    /// Camera and action semantics that draw action chunks as action frames (needed when ``actionFrames`` is on).
    public var actionFrameRendering: ProphetActionFrames?

    /// Whether memory keys get RoPE (``memoryRoPE``, off when absent).
    public var rotatesMemoryKeys: Bool { historyMemory && memoryRoPE == true }
    /// Latent frames per chunk, T_l = 1 + T/4.
    public var latentFrames: Int { 1 + chunkFrames / 4 }
    /// Pixels per latent cell along each axis (``latentDownsampling``, 8 when absent).
    public var spatialDownsampling: Int { latentDownsampling ?? 8 }
    /// Latent grid height.
    public var latentHeight: Int { height / spatialDownsampling }
    /// Latent grid width.
    public var latentWidth: Int { width / spatialDownsampling }

    /// Creates a configuration; see ``validate()`` for the rules.
    public init(width: Int = 64, height: Int = 64, chunkFrames: Int = 20, actionDimension: Int = 7,
                latentChannels: Int = 16, encoderWidths: [Int] = [32, 64, 64], modelWidth: Int = 192, depth: Int = 6,
                heads: Int = 3, adaLNRank: Int = 64, historyLatents: Int = 15, actionConditioning: Bool = true,
                actionFrames: Bool = false, historyMemory: Bool = true, memoryRoPE: Bool? = true, timestepScale: Float = 1000,
                framesPerSecond: Double = 10, actionFrameRendering: ProphetActionFrames? = nil) {
        self.width = width
        self.height = height
        self.chunkFrames = chunkFrames
        self.actionDimension = actionDimension
        self.latentChannels = latentChannels
        self.encoderWidths = encoderWidths
        self.modelWidth = modelWidth
        self.depth = depth
        self.heads = heads
        self.adaLNRank = adaLNRank
        self.historyLatents = historyLatents
        self.actionConditioning = actionConditioning
        self.actionFrames = actionFrames
        self.historyMemory = historyMemory
        self.memoryRoPE = memoryRoPE
        self.timestepScale = timestepScale
        self.framesPerSecond = framesPerSecond
        self.actionFrameRendering = actionFrameRendering
    }

    /// Configuration A of world-model.md §10 (64×64, D 192, depth 6, 3 heads).
    public static let defaultA = ProphetConfiguration()

    /// A tiny configuration for tests (32×32, 8 frames per chunk, D 48, depth 2).
    public static let tiny = ProphetConfiguration(width: 32, height: 32, chunkFrames: 8, latentChannels: 16,
                                                  encoderWidths: [8, 16, 16], modelWidth: 48, depth: 2, heads: 2,
                                                  adaLNRank: 8, historyLatents: 15)

    /// Checks every size.
    /// - Throws: ``ValidationError`` naming the first bad field, the expectation and the value.
    public func validate() throws {
        for (name, value) in [("width", width), ("height", height)] where value < 16 || value % 16 != 0 {
            throw ValidationError.invalid(argument: name, reason: "expected a positive multiple of 16, got \(value)")
        }
        if chunkFrames < 4 || chunkFrames % 4 != 0 {
            throw ValidationError.invalid(argument: "chunkFrames", reason: "expected a positive multiple of 4, got \(chunkFrames)")
        }
        try Validate.atLeastOne(actionDimension, "actionDimension")
        try Validate.atLeastOne(latentChannels, "latentChannels")
        try Validate.count(encoderWidths.count, equals: 3, "encoderWidths")
        if modelWidth % heads != 0 || (modelWidth / heads) % 2 != 0 || modelWidth / heads < 6 {
            throw ValidationError.invalid(argument: "modelWidth",
                                          reason: "expected a multiple of heads (\(heads)) with an even head size ≥ 6, got \(modelWidth)")
        }
        try Validate.atLeastOne(depth, "depth")
        try Validate.atLeastOne(adaLNRank, "adaLNRank")
        if let width = referenceRefinerWidth { try Validate.atLeastOne(width, "referenceRefinerWidth") }
        if let factor = latentDownsampling, factor != 4 && factor != 8 {
            throw ValidationError.invalid(argument: "latentDownsampling", reason: "expected 4 or 8, got \(factor)")
        }
        if historyLatents != 15 {
            throw ValidationError.invalid(argument: "historyLatents", reason: "expected 15 (12 | 2 | 1 segments), got \(historyLatents)")
        }
    }
}
