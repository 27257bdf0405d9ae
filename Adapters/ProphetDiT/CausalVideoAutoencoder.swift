import ProphRLCore
import TensorEngine

/// The project's tiny causal video autoencoder (world-model.md §2.2): 4× in time, 8×8 in space (or 4×4 with
/// ``ProphetConfiguration/latentDownsampling`` 4), `latentChannels` channels. Latent 0 encodes frame 0 alone; latent
/// j ≥ 1 packs frames 4j-3…4j, so it depends only on frames ≤ 4j.
///
/// Video tensors are channels-last `[B, T, H, W, 3]` in [-1, 1] with `T = 1 + 4k`; latents are
/// `[B, 1 + k, H/s, W/s, C]` with s the spatial downsampling.
public final class CausalVideoAutoencoder: Module {
    let down1: Conv2d
    let down2: Conv2d
    let encoderBlock1: ResidualBlock
    let down3: Conv2d
    let encoderBlock2: ResidualBlock
    let packFirst: Linear
    let packGroup: Linear
    let unpackFirst: Linear
    let unpackGroup: Linear
    let decoderBlock1: ResidualBlock
    let up1: Conv2d
    let decoderBlock2: ResidualBlock
    let up2: Conv2d
    let up3: Conv2d
    /// Sharpens decoded frames with a real reference frame (nil unless ``ProphetConfiguration/referenceRefinerWidth`` is set).
    let refiner: ReferenceRefiner?
    /// Per-channel latent mean (frozen; computed on the training set by ``setLatentStatistics(_:)``).
    let latentMean: Parameter
    /// Per-channel latent standard deviation (frozen).
    let latentStd: Parameter
    /// Latent channels.
    public let latentChannels: Int
    let featureWidth: Int
    /// Pixels per latent cell along each axis (8, or 4: the third encoder stage keeps the resolution and the decoder
    /// skips its first upsampling; the parameters are the same either way).
    let downsampling: Int

    /// Creates the autoencoder with seeded PyTorch-default initialisation.
    /// - Throws: ``ValidationError`` for a bad configuration.
    public init(configuration: ProphetConfiguration, rng: inout SeededGenerator) throws {
        try configuration.validate()
        let w = configuration.encoderWidths, c = configuration.latentChannels
        let pad = [(1, 1), (1, 1)]
        down1 = try Conv2d(3, w[0], kernel: (3, 3), stride: (2, 2), padding: pad, rng: &rng)
        down2 = try Conv2d(w[0], w[1], kernel: (3, 3), stride: (2, 2), padding: pad, rng: &rng)
        encoderBlock1 = try ResidualBlock(channels: w[1], rng: &rng)
        let thirdStride = configuration.spatialDownsampling == 8 ? 2 : 1
        down3 = try Conv2d(w[1], w[2], kernel: (3, 3), stride: (thirdStride, thirdStride), padding: pad, rng: &rng)
        encoderBlock2 = try ResidualBlock(channels: w[2], rng: &rng)
        packFirst = try Linear(w[2], c, rng: &rng)
        packGroup = try Linear(4 * w[2], c, rng: &rng)
        unpackFirst = try Linear(c, w[2], rng: &rng)
        unpackGroup = try Linear(c, 4 * w[2], rng: &rng)
        decoderBlock1 = try ResidualBlock(channels: w[2], rng: &rng)
        up1 = try Conv2d(w[2], w[1], kernel: (3, 3), padding: pad, rng: &rng)
        decoderBlock2 = try ResidualBlock(channels: w[1], rng: &rng)
        up2 = try Conv2d(w[1], w[0], kernel: (3, 3), padding: pad, rng: &rng)
        up3 = try Conv2d(w[0], 3, kernel: (3, 3), padding: pad, rng: &rng)
        refiner = try configuration.referenceRefinerWidth.map { try ReferenceRefiner(width: $0, rng: &rng) }
        latentMean = Parameter(try Tensor.zeros([c]), frozen: true)
        latentStd = Parameter(try Tensor.ones([c]), frozen: true)
        latentChannels = c
        featureWidth = w[2]
        downsampling = configuration.spatialDownsampling
    }

    /// Raw (unnormalised) latents μ of `video` `[B, 1 + 4k, H, W, 3]`.
    /// - Throws: ``ValidationError`` naming `video` for a wrong rank, channel count, frame count or size.
    public func encode(_ video: Tensor) throws -> Tensor {
        guard video.rank == 5, video.shape[4] == 3, video.shape[1] % 4 == 1,
              video.shape[2] % 16 == 0, video.shape[3] % 16 == 0, video.shape[2] > 0, video.shape[3] > 0 else {
            throw ValidationError.shapeMismatch(argument: "video", expected: "[B, 1+4k, H, W, 3] with H, W multiples of 16",
                                                actual: "\(video.shape)")
        }
        let (b, t, height, width) = (video.shape[0], video.shape[1], video.shape[2], video.shape[3])
        let (h, w, f) = (height / downsampling, width / downsampling, featureWidth)
        var x = try video.reshaped([b * t, height, width, 3])
        x = try down1(x).silu()
        x = try encoderBlock1(down2(x).silu())
        x = try encoderBlock2(down3(x).silu())
        let features = try x.reshaped([b, t, h, w, f])
        let first = try packFirst(features.slice(axis: 1, 0..<1))
        let groups = (t - 1) / 4
        guard groups > 0 else { return first }
        // Frames 4j-3…4j side by side on channels: the latent of a group sees no later frame.
        let grouped = try features.slice(axis: 1, 1..<t).reshaped([b, groups, 4, h, w, f])
            .permuted([0, 1, 3, 4, 2, 5]).reshaped([b, groups, h, w, 4 * f])
        return try Tensor.concat([first, packGroup(grouped)], axis: 1)
    }

    /// Whether decoding can use a reference frame (the model has a trained ``ReferenceRefiner``).
    public var refinesWithReference: Bool { refiner != nil }

    /// Decodes raw latents `[B, 1 + k, h, w, C]` to video `[B, 1 + 4k, s·h, s·w, 3]` (s the spatial downsampling;
    /// unclamped, see ``decodeClamped(_:)``).
    /// With a refiner and a `reference` frame `[B, 1, s·h, s·w, 3]` of the same scene (e.g. the rollout's real first
    /// frame), every decoded frame is sharpened against it; without either, this is the plain decoder.
    /// - Throws: ``ValidationError`` naming `latent` or `reference` for a wrong shape.
    public func decode(_ latent: Tensor, reference: Tensor? = nil) throws -> Tensor {
        guard latent.rank == 5, latent.shape[4] == latentChannels, latent.shape[1] >= 1 else {
            throw ValidationError.shapeMismatch(argument: "latent", expected: "[B, 1+k, h, w, \(latentChannels)]",
                                                actual: "\(latent.shape)")
        }
        let (b, tl, h, w, f) = (latent.shape[0], latent.shape[1], latent.shape[2], latent.shape[3], featureWidth)
        var parts = [try unpackFirst(latent.slice(axis: 1, 0..<1))]
        if tl > 1 {
            let groups = try unpackGroup(latent.slice(axis: 1, 1..<tl)).reshaped([b, tl - 1, h, w, 4, f])
                .permuted([0, 1, 4, 2, 3, 5]).reshaped([b, 4 * (tl - 1), h, w, f])
            parts.append(groups)
        }
        let t = 1 + 4 * (tl - 1)
        var x = try Tensor.concat(parts, axis: 1).reshaped([b * t, h, w, f])
        x = try decoderBlock1(x)
        x = try decoderBlock2(up1(downsampling == 8 ? Self.upsample(x) : x).silu())
        x = try up2(Self.upsample(x)).silu()
        x = try up3(Self.upsample(x))
        if let refiner, let reference {
            x = try refiner(decoded: x, reference: Self.repeatedPerFrame(reference, batch: b, frames: t,
                                                                            height: downsampling * h, width: downsampling * w))
        }
        return try x.reshaped([b, t, downsampling * h, downsampling * w, 3])
    }

    /// Decodes and clamps to [-1, 1].
    public func decodeClamped(_ latent: Tensor, reference: Tensor? = nil) throws -> Tensor {
        try decode(latent, reference: reference).clamped(min: -1, max: 1)
    }

    /// Normalised latents `(μ − mean_c) / std_c` of `video`.
    public func encodeNormalized(_ video: Tensor) throws -> Tensor {
        try (encode(video) - latentMean.value) / latentStd.value
    }

    /// Video from normalised latents, clamped to [-1, 1] (sharpened against `reference` when the model has a refiner).
    public func decodeNormalized(_ latent: Tensor, reference: Tensor? = nil) throws -> Tensor {
        try decodeClamped(latent.multiplyAdd(latentStd.value, latentMean.value), reference: reference)
    }

    /// The refiner's loss on `video` `[B, 1 + 4k, H, W, 3]` with one real `reference` frame `[B, 1, H, W, 3]` per clip:
    /// L1 + L2 of the sharpened reconstruction. Encoder and decoder run without gradient (they stay as trained).
    /// - Throws: ``ValidationError`` naming `configuration` when the model has no refiner, or a wrong shape.
    public func refinementLoss(_ video: Tensor, reference: Tensor) throws -> Tensor {
        guard let refiner else {
            throw ValidationError.invalid(argument: "configuration", reason: "this autoencoder has no reference refiner (referenceRefinerWidth is nil)")
        }
        let decoded = try noGrad { try decode(encode(video)) }
        let (b, t, height, width) = (video.shape[0], video.shape[1], video.shape[2], video.shape[3])
        let frames = [b * t, height, width, 3]
        let sharpened = try refiner(decoded: decoded.reshaped(frames),
                                    reference: Self.repeatedPerFrame(reference, batch: b, frames: t, height: height, width: width))
        let target = try video.reshaped(frames)
        return try sharpened.l1Loss(target) + sharpened.mseLoss(target)
    }

    /// The training loss: L1 + L2 reconstruction plus `latentPenalty` · mean(μ²).
    public func reconstructionLoss(_ video: Tensor, latentPenalty: Float = 1e-4) throws -> Tensor {
        let latent = try encode(video)
        let reconstruction = try decode(latent)
        return try reconstruction.l1Loss(video) + reconstruction.mseLoss(video) + latent.square().mean() * latentPenalty
    }

    /// Stores per-channel statistics (frozen parameters saved with the weights).
    /// - Throws: ``ValidationError`` naming `mean`/`std` for wrong counts or a non-positive std.
    public func setLatentStatistics(mean: [Float], std: [Float]) throws {
        try Validate.count(mean.count, equals: latentChannels, "mean")
        try Validate.count(std.count, equals: latentChannels, "std")
        for value in std where !(value > 0) {
            throw ValidationError.invalid(argument: "std", reason: "expected positive values, got \(value)")
        }
        latentMean.value = try Tensor(mean, shape: [latentChannels])
        latentStd.value = try Tensor(std, shape: [latentChannels])
    }

    /// Per-channel mean and std of raw latents `[…, C]` (the std floored at 1e-3).
    public static func channelStatistics(_ latents: [Tensor]) -> (mean: [Float], std: [Float]) {
        guard let c = latents.first?.shape.last, c > 0 else { return ([], []) }
        var sum = [Double](repeating: 0, count: c), squares = [Double](repeating: 0, count: c), n = 0.0
        for latent in latents {
            for (i, v) in latent.scalars.enumerated() { sum[i % c] += Double(v); squares[i % c] += Double(v) * Double(v) }
            n += Double(latent.count / c)
        }
        let mean = sum.map { $0 / max(n, 1) }
        let std = (0..<c).map { Swift.max(1e-3, Swift.max(0, squares[$0] / max(n, 1) - mean[$0] * mean[$0]).squareRoot()) }
        return (mean.map { Float($0) }, std.map { Float($0) })
    }

    /// `reference` `[B, 1, H, W, 3]` repeated for each of `frames` frames, as `[B·frames, H, W, 3]` (data, no gradient).
    static func repeatedPerFrame(_ reference: Tensor, batch: Int, frames: Int, height: Int, width: Int) throws -> Tensor {
        guard reference.shape == [batch, 1, height, width, 3] else {
            throw ValidationError.shapeMismatch(argument: "reference", expected: "[\(batch), 1, \(height), \(width), 3]",
                                                actual: "\(reference.shape)")
        }
        return try reference.detached().broadcast(to: [batch, frames, height, width, 3]).reshaped([batch * frames, height, width, 3])
    }

    static func upsample(_ x: Tensor) throws -> Tensor {
        let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        return try x.reshaped([n, 1, h, w, c]).upsampleNearest((1, 2, 2)).reshaped([n, 2 * h, 2 * w, c])
    }
}
