import Foundation
import ProphRLCore
import TensorEngine

/// The Prophet DiT (world-model.md §3, §5.1): patch 1×2×2 embedding of `[video latent, action-frame latent,
/// mask]`, per-latent-frame conditioning from the timestep and the action chunk, `depth` blocks with memory
/// attention, and a final modulated layer predicting the rectified-flow velocity.
public final class ProphetDenoiser: Module {
    let patchEmbedding: Linear
    let timestepDown: Linear
    let timestepUp: Linear
    let conditionNorm: RMSNorm
    let actionToWidth: MLP?
    let actionToModulation: MLP?
    let blocks: [DiTBlock]
    let finalModulation: Linear
    let finalLinear: Linear
    let memory: HistoryMemory?
    /// Per action dimension offset subtracted before the action MLPs (frozen; set from the training data).
    let actionMean: Parameter
    /// Per action dimension factor applied after the offset (frozen; default 20 for deltas, 1 for the gripper, §5.1).
    let actionScale: Parameter
    /// The configuration the network was built for.
    public let configuration: ProphetConfiguration

    /// Creates the network with seeded initialisation (zero modulation outputs and a zero final layer).
    /// - Throws: ``ValidationError`` for a bad configuration.
    public init(configuration: ProphetConfiguration, rng: inout SeededGenerator) throws {
        try configuration.validate()
        self.configuration = configuration
        let d = configuration.modelWidth, c = configuration.latentChannels
        let inputChannels = Self.inputChannels(configuration)
        patchEmbedding = try Linear(4 * inputChannels, d, bias: false, rng: &rng)
        timestepDown = try Linear(d, d, bias: false, rng: &rng)
        timestepUp = try Linear(d, 3 * d, bias: false, rng: &rng)
        conditionNorm = try RMSNorm(d)
        let actionInputs = configuration.chunkFrames * configuration.actionDimension
        if configuration.actionConditioning {
            actionToWidth = try MLP([actionInputs, 4 * d, d], activation: .geluTanh, rng: &rng)
            actionToModulation = try MLP([actionInputs, 4 * d, 3 * d], activation: .geluTanh, rng: &rng)
        } else {
            actionToWidth = nil
            actionToModulation = nil
        }
        blocks = try (0..<configuration.depth).map {
            try DiTBlock(width: d, heads: configuration.heads, rank: configuration.adaLNRank, layer: $0, rng: &rng)
        }
        finalModulation = try Linear(d, 2 * d, bias: false, rng: &rng)
        finalLinear = try Linear(weight: Tensor.zeros([4 * c, d]), bias: nil)
        actionMean = Parameter(try Tensor.zeros([configuration.actionDimension]), frozen: true)
        actionScale = Parameter(try Tensor((0..<configuration.actionDimension).map { $0 % 7 == 6 ? 1 : 20 },
                                           shape: [configuration.actionDimension]), frozen: true)
        memory = configuration.historyMemory
            ? try HistoryMemory(latentChannels: c, width: d, patchEmbedding: patchEmbedding.weight.value,
                                inputChannels: inputChannels, rng: &rng)
            : nil
    }

    static func inputChannels(_ configuration: ProphetConfiguration) -> Int {
        configuration.latentChannels * (configuration.actionFrames ? 2 : 1) + 1
    }

    /// Adds rank-`rank` LoRA adapters to q, k, v, output and MLP linears of every block and freezes everything
    /// except the adapters, the action MLPs and the memory projections (world-model.md §9).
    public func enableLoRA(rank: Int, alpha: Float? = nil, rng: inout SeededGenerator) throws {
        try Validate.atLeastOne(rank, "rank")
        for block in blocks { for layer in block.adaptableLayers { try layer.enableLoRA(rank: rank, alpha: alpha ?? Float(rank), rng: &rng) } }
        freeze()
        for (path, slot) in namedParameterSlots()
        where path.hasSuffix("loraA") || path.hasSuffix("loraB") || path.hasPrefix("actionTo") || path.hasPrefix("memory.") {
            slot.isFrozen = false
        }
    }

    /// Flat `[T·A]` raw actions as the network sees them: `(a − mean_d)·scale_d` per dimension d.
    public func preparedActions(_ values: [Float]) -> [Float] {
        let mean = actionMean.value.scalars, scale = actionScale.value.scalars, a = mean.count
        return values.enumerated().map { index, value in (value - mean[index % a]) * scale[index % a] }
    }

    /// Sets the action normalisation from per-dimension statistics of the training actions: scale = 1 / max(std, floor).
    /// - Throws: ``ValidationError`` naming `mean`/`std` for a wrong count.
    public func setActionStatistics(mean: [Float], std: [Float], floor: Float = 1e-3) throws {
        try Validate.count(mean.count, equals: configuration.actionDimension, "mean")
        try Validate.count(std.count, equals: configuration.actionDimension, "std")
        actionMean.value = try Tensor(mean, shape: [mean.count])
        actionScale.value = try Tensor(std.map { 1 / Swift.max($0, floor) }, shape: [std.count])
    }

    /// The velocity `[B, F, h, w, C]`.
    /// - Parameters:
    ///   - latent: the (partly noisy) latent `u` `[B, F, h, w, C]`; frame 0 is the clean conditioning latent.
    ///   - actionFrameLatent: `[B, F, h, w, C]` when the configuration uses action frames, else ignored.
    ///   - timesteps: `[B, F]` per-frame t in [0, 1].
    ///   - actions: flattened action chunk after ``preparedActions(_:)``, `[B, T·A]`.
    ///   - history: history latents `[B, 15, h, w, C]` (zeros at episode start), ignored without memory.
    /// - Throws: ``ValidationError`` naming the argument with a wrong shape.
    public func callAsFunction(latent: Tensor, actionFrameLatent: Tensor? = nil, timesteps: Tensor, actions: Tensor,
                               history: Tensor?) throws -> Tensor {
        let cfg = configuration
        guard latent.rank == 5, latent.shape[4] == cfg.latentChannels, latent.shape[2] % 2 == 0, latent.shape[3] % 2 == 0 else {
            throw ValidationError.shapeMismatch(argument: "latent", expected: "[B, F, h, w, \(cfg.latentChannels)] with even h, w",
                                                actual: "\(latent.shape)")
        }
        let (b, f, h, w, c) = (latent.shape[0], latent.shape[1], latent.shape[2], latent.shape[3], latent.shape[4])
        let d = cfg.modelWidth
        guard timesteps.shape == [b, f] else {
            throw ValidationError.shapeMismatch(argument: "timesteps", expected: "[\(b), \(f)]", actual: "\(timesteps.shape)")
        }
        let actionInputs = cfg.chunkFrames * cfg.actionDimension
        guard actions.shape == [b, actionInputs] else {
            throw ValidationError.shapeMismatch(argument: "actions", expected: "[\(b), \(actionInputs)]", actual: "\(actions.shape)")
        }
        var maskValues = [Float](repeating: 0, count: b * f * h * w)
        for bi in 0..<b { for i in 0..<(h * w) { maskValues[bi * f * h * w + i] = 1 } }
        var channels = [latent]
        if cfg.actionFrames {
            guard let actionFrameLatent, actionFrameLatent.shape == latent.shape else {
                throw ValidationError.shapeMismatch(argument: "actionFrameLatent", expected: "\(latent.shape)",
                                                    actual: "\(actionFrameLatent?.shape ?? [])")
            }
            channels.append(actionFrameLatent)
        }
        channels.append(try Tensor(maskValues, shape: [b, f, h, w, 1]))
        var x = try patchEmbedding(Tensor.concat(channels, axis: 4).patchify(2))

        let embedding = try Self.timestepEmbedding(timesteps, width: d, scale: cfg.timestepScale)
        var beforeNorm = embedding
        var adaLNBias = try timestepUp(timestepDown(embedding).silu())
        if let actionToWidth, let actionToModulation {
            beforeNorm = try embedding + actionToWidth(actions).reshaped([b, 1, d])
            adaLNBias = try adaLNBias + actionToModulation(actions).reshaped([b, 1, 3 * d])
        }
        let condition = try conditionNorm(beforeNorm).silu()
        let rope = try RoPE.grid3D(frames: f, height: h / 2, width: w / 2, headDim: d / cfg.heads)
        var memoryKV: (key: Tensor, value: Tensor, rope: RoPE?)?
        if let memory {
            let expected = [b, cfg.historyLatents, h, w, c]
            let historyLatents = try history ?? Tensor.zeros(expected)
            guard historyLatents.shape == expected else {
                throw ValidationError.shapeMismatch(argument: "history", expected: "\(expected)", actual: "\(historyLatents.shape)")
            }
            let (key, value) = try memory(historyLatents)
            let memoryRoPE = cfg.rotatesMemoryKeys
                ? try RoPE.positions3D(HistoryMemory.tokenPositions(latentHeight: h, latentWidth: w), headDim: d / cfg.heads) : nil
            memoryKV = (key, value, memoryRoPE)
        }
        for block in blocks { x = try block(x, condition: condition, adaLNBias: adaLNBias, rope: rope, memory: memoryKV) }
        let finalMod = try (finalModulation(condition) + adaLNBias.slice(axis: 2, 0..<(2 * d)))
            .split([d, d], axis: 2).map { try $0.reshaped([b, f, 1, d]) }
        let out = try x.reshaped([b, f, (h / 2) * (w / 2), d]).layerNorm(eps: 1e-6).multiplyAdd(finalMod[1] + 1, finalMod[0])
        return try finalLinear(out.reshaped([b, x.shape[1], d])).unpatchify(2, frames: f, height: h, width: w, channels: c)
    }

    /// `[cos(τ'·f_i), sin(τ'·f_i)]`, `f_i = exp(−ln(10000)·i/(D/2))`, `τ' = s·τ`: `[B, F, D]` (no gradient).
    static func timestepEmbedding(_ timesteps: Tensor, width: Int, scale: Float) throws -> Tensor {
        let half = width / 2
        var values = [Float](repeating: 0, count: timesteps.count * width)
        for (row, t) in timesteps.scalars.enumerated() {
            for i in 0..<half {
                let angle = Double(scale * t) * exp(-log(10_000) * Double(i) / Double(half))
                values[row * width + i] = Float(cos(angle))
                values[row * width + half + i] = Float(sin(angle))
            }
        }
        return try Tensor(values, shape: timesteps.shape + [width])
    }
}
