import ProphRLCore
import TensorEngine

/// Prophet: the autoencoder and the DiT together, with chunk sampling (frame replace, Karras sampler) and
/// long autoregressive rollouts (world-model.md §7–8, the paper's Algorithm 1). Not thread-safe; the
/// ``ProphetWorldModel`` port adapter serialises access.
public final class ProphetModel {
    /// The causal video autoencoder (frozen after its training phase).
    public let autoencoder: CausalVideoAutoencoder
    /// The DiT denoiser.
    public let denoiser: ProphetDenoiser
    /// The shared configuration.
    public var configuration: ProphetConfiguration { denoiser.configuration }

    /// Creates a freshly initialised model.
    /// - Throws: ``ValidationError`` for a bad configuration.
    public init(configuration: ProphetConfiguration, seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        autoencoder = try CausalVideoAutoencoder(configuration: configuration, rng: &rng)
        denoiser = try ProphetDenoiser(configuration: configuration, rng: &rng)
    }

    /// All parameters, keyed `autoencoder.<path>` and `denoiser.<path>`.
    public func parameters() -> [String: Tensor] {
        var all: [String: Tensor] = [:]
        for (key, value) in autoencoder.parameters() { all["autoencoder." + key] = value }
        for (key, value) in denoiser.parameters() { all["denoiser." + key] = value }
        return all
    }

    /// Loads parameters saved by ``parameters()`` (every key must be present, except the reference refiner's when
    /// `allowingMissingRefiner`: a run saved without one, loaded to train one).
    /// - Throws: ``TensorError`` for a missing or unknown key or a wrong shape.
    public func load(parameters: [String: Tensor], allowingMissingRefiner: Bool = false) throws {
        var ae: [String: Tensor] = [:], dit: [String: Tensor] = [:]
        for (key, value) in parameters {
            if key.hasPrefix("autoencoder.") { ae[String(key.dropFirst(12))] = value }
            else if key.hasPrefix("denoiser.") { dit[String(key.dropFirst(9))] = value }
            else { throw TensorError.invalidArgument(op: "ProphetModel.load", argument: "parameters", reason: "unknown key \(key)") }
        }
        let refinerMissing = autoencoder.refinesWithReference && !ae.keys.contains { $0.hasPrefix("refiner.") }
        try autoencoder.update(parameters: ae, strict: !(allowingMissingRefiner && refinerMissing))
        if allowingMissingRefiner && refinerMissing,
           let missing = autoencoder.namedParameterSlots().map(\.path).first(where: { ae[$0] == nil && !$0.hasPrefix("refiner.") }) {
            throw TensorError.missingKey(op: "ProphetModel.load", key: "autoencoder." + missing)
        }
        // Runs saved before action normalisation existed lack its two frozen tensors; they keep the §5.1 defaults.
        let optional: Set = ["actionMean", "actionScale"]
        if let missing = denoiser.namedParameterSlots().map(\.path).first(where: { dit[$0] == nil && !optional.contains($0) }) {
            throw TensorError.missingKey(op: "ProphetModel.load", key: "denoiser." + missing)
        }
        try denoiser.update(parameters: dit)
    }

    /// A flat `[T·A]` raw action chunk normalised as the network expects (``ProphetDenoiser/preparedActions(_:)``).
    public func preparedActions(_ values: [Float]) -> [Float] { denoiser.preparedActions(values) }

    /// Samples one chunk's normalised latents `[B, F, h, w, C]`; latent 0 is `condition` exactly (frame replace).
    /// - Parameters:
    ///   - condition: normalised latent of the conditioning frame alone, `[B, 1, h, w, C]`.
    ///   - history: normalised history latents `[B, 15, h, w, C]` (nil: zeros).
    ///   - actions: prepared flat action chunks `[B, T·A]` (``preparedActions(_:)``).
    public func sampleChunk(condition: Tensor, history: Tensor?, actions: Tensor, actionFrameLatents: Tensor? = nil,
                            sampler: KarrasSampler, seed: UInt64) throws -> Tensor {
        let cfg = configuration
        let (b, h, w, c) = (condition.shape[0], condition.shape[2], condition.shape[3], condition.shape[4])
        let f = cfg.latentFrames
        let shape = [b, f, h, w, c], perFrame = h * w * c, perSample = f * perFrame
        let noise = try Tensor.normal(shape, seed: seed).scalars
        let cond = condition.scalars
        let result = try noGrad {
            try sampler.sample(noise: noise) { x, sigma in
                let t = Float(sigma / (1 + sigma))
                var u = x.map { $0 / Float(1 + sigma) }
                for bi in 0..<b { for i in 0..<perFrame { u[bi * perSample + i] = cond[bi * perFrame + i] } }
                var timesteps = [Float](repeating: t, count: b * f)
                for bi in 0..<b { timesteps[bi * f] = RectifiedFlow.conditioningTimestep }
                let velocity = try denoiser(latent: Tensor(u, shape: shape), actionFrameLatent: actionFrameLatents,
                                            timesteps: Tensor(timesteps, shape: [b, f]), actions: actions, history: history)
                var x0 = zip(u, velocity.scalars).map { $0 - t * $1 }
                for bi in 0..<b { for i in 0..<perFrame { x0[bi * perSample + i] = cond[bi * perFrame + i] } }
                return x0
            }
        }
        return try Tensor(result, shape: shape)
    }

    /// Long rollouts (Algorithm 1), batched: from `start` frames `[B, 1, H, W, 3]` and one scaled action tensor
    /// `[B, T·A]` per chunk, each chunk's last decoded frame conditions the next and its new latents enter the
    /// 15-latent history FIFO (actions prepared by ``preparedActions(_:)``). Returns video `[B, 1 + chunks·T, H, W, 3]` in [-1, 1].
    /// - Parameters:
    ///   - history: initial normalised history `[B, 15, h, w, C]` (nil: zeros, episode start).
    ///   - actionFrameLatents: one normalised action-frame latent tensor `[B, F, h, w, C]` per chunk (models with
    ///     action frames; see ``actionFrameLatents(pixels:)``).
    ///   - reference: a real frame `[B, 1, H, W, 3]` of the scene for the autoencoder's refiner (nil: `start`).
    /// - Throws: ``ValidationError`` naming `actionFrameLatents` when the model uses action frames and they are
    ///   missing or fewer than the chunks.
    public func rollout(start: Tensor, actionChunks: [Tensor], history initialHistory: Tensor? = nil,
                        actionFrameLatents: [Tensor]? = nil, reference: Tensor? = nil, sampler: KarrasSampler, seed: UInt64) throws -> Tensor {
        let cfg = configuration
        let reference = reference ?? start
        let b = start.shape[0], (h, w, c) = (cfg.latentHeight, cfg.latentWidth, cfg.latentChannels)
        if cfg.actionFrames && (actionFrameLatents?.count ?? 0) < actionChunks.count {
            throw ValidationError.invalid(argument: "actionFrameLatents",
                                          reason: "expected one per chunk (\(actionChunks.count)); the model uses action frames, got \(actionFrameLatents?.count ?? 0)")
        }
        var history = try initialHistory ?? Tensor.zeros([b, cfg.historyLatents, h, w, c])
        var frame = start
        var pieces = [start]
        for (index, actions) in actionChunks.enumerated() {
            let condition = try noGrad { try autoencoder.encodeNormalized(frame) }
            let latents = try sampleChunk(condition: condition, history: cfg.historyMemory ? history : nil, actions: actions,
                                          actionFrameLatents: cfg.actionFrames ? actionFrameLatents?[index] : nil, sampler: sampler, seed: seed &+ UInt64(index) &* 0x9E37_79B9)
            let video = try noGrad { try autoencoder.decodeNormalized(latents, reference: reference) }
            let t = video.shape[1]
            pieces.append(try video.slice(axis: 1, 1..<t))
            frame = try video.slice(axis: 1, (t - 1)..<t)
            let fresh = try latents.slice(axis: 1, 1..<cfg.latentFrames)
            history = try Tensor.concat([history, fresh], axis: 1).slice(axis: 1, (cfg.latentFrames - 1)..<(cfg.historyLatents + cfg.latentFrames - 1))
        }
        return try Tensor.concat(pieces, axis: 1)
    }

    /// Normalised action-frame latents `[B, F, h, w, C]` of action-frame pixels `[B, T + 1, H, W, 3]` in [-1, 1].
    public func actionFrameLatents(pixels: Tensor) throws -> Tensor {
        try noGrad { try autoencoder.encodeNormalized(pixels) }
    }

    /// The autoencoder's reconstruction of video `[B, 1 + 4k, H, W, 3]` (encode, normalise, decode with frame 0 as
    /// the refiner's reference, clamp).
    public func reconstruct(_ video: Tensor) throws -> Tensor {
        try noGrad { try autoencoder.decodeNormalized(autoencoder.encodeNormalized(video), reference: video.slice(axis: 1, 0..<1)) }
    }

    /// Normalised history latents `[1, 15, h, w, C]` of `frames` `[1, N, H, W, 3]` whose last frame is the
    /// current one: the groups of 4 frames ending at it (at most 15), zero-padded in front.
    public func historyLatents(frames: Tensor) throws -> Tensor {
        let cfg = configuration
        let n = frames.shape[1], groups = Swift.min(cfg.historyLatents, (n - 1) / 4)
        let zeros = try Tensor.zeros([frames.shape[0], cfg.historyLatents - groups, cfg.latentHeight, cfg.latentWidth, cfg.latentChannels])
        guard groups > 0 else { return zeros }
        let window = try frames.slice(axis: 1, (n - 1 - 4 * groups)..<n)
        let latents = try noGrad { try autoencoder.encodeNormalized(window) }.slice(axis: 1, 1..<(1 + groups))
        return try Tensor.concat([zeros, latents], axis: 1)
    }
}
