import ProphRLCore
import TensorEngine

/// One Prophet DiT block (world-model.md §3.3): per-latent-frame adaLN (shift, scale, gate) with a shared
/// LoRA-style bias, self-attention with QK RMSNorm, RoPE-3D and prepended memory keys/values, then a 4× GELU MLP.
final class DiTBlock: Module {
    let attentionModulationDown: Linear
    let attentionModulationUp: Linear
    let mlpModulationDown: Linear
    let mlpModulationUp: Linear
    let query: AdaptableLinear
    let key: AdaptableLinear
    let value: AdaptableLinear
    let output: AdaptableLinear
    let queryNorm: RMSNorm
    let keyNorm: RMSNorm
    let fc1: AdaptableLinear
    let fc2: AdaptableLinear
    let heads: Int

    init(width: Int, heads: Int, rank: Int, layer: Int, rng: inout SeededGenerator) throws {
        attentionModulationDown = try Linear(width, rank, bias: false, rng: &rng)
        attentionModulationUp = try Linear(rank, 3 * width, bias: false, rng: &rng)
        mlpModulationDown = try Linear(width, rank, bias: false, rng: &rng)
        mlpModulationUp = try Linear(rank, 3 * width, bias: false, rng: &rng)
        // Zero-initialised modulation outputs: every block starts as the identity.
        attentionModulationUp.weight.value = try Tensor.zeros([3 * width, rank])
        mlpModulationUp.weight.value = try Tensor.zeros([3 * width, rank])
        query = try AdaptableLinear(width, width, rng: &rng)
        key = try AdaptableLinear(width, width, rng: &rng)
        value = try AdaptableLinear(width, width, rng: &rng)
        output = try AdaptableLinear(width, width, rng: &rng)
        queryNorm = try RMSNorm(width / heads)
        keyNorm = try RMSNorm(width / heads)
        fc1 = try AdaptableLinear(width, 4 * width, rng: &rng)
        fc2 = try AdaptableLinear(4 * width, width, initScale: 1 / Float(2 * (layer + 1)).squareRoot(), rng: &rng)
        self.heads = heads
    }

    /// The LoRA targets of this block.
    var adaptableLayers: [AdaptableLinear] { [query, key, value, output, fc1, fc2] }

    /// - Parameters:
    ///   - x: tokens `[B, F·S, D]` (F latent frames of S tokens each).
    ///   - condition: SiLU'd per-frame condition `[B, F, D]`.
    ///   - adaLNBias: shared per-frame bias `g_f` `[B, F, 3D]`.
    ///   - memory: memory keys and values `[B, M, D]`, with the RoPE of their positions (nil: keys unrotated), or nil.
    func callAsFunction(_ x: Tensor, condition: Tensor, adaLNBias: Tensor, rope: RoPE,
                        memory: (key: Tensor, value: Tensor, rope: RoPE?)?) throws -> Tensor {
        let (b, n, d) = (x.shape[0], x.shape[1], x.shape[2]), f = condition.shape[1], s = n / f, dh = d / heads
        func modulation(_ down: Linear, _ up: Linear) throws -> [Tensor] {
            try (up(down(condition)) + adaLNBias).split([d, d, d], axis: 2).map { try $0.reshaped([b, f, 1, d]) }
        }
        let attentionMod = try modulation(attentionModulationDown, attentionModulationUp)
        let framed = try x.reshaped([b, f, s, d])
        let h = try framed.layerNorm(eps: 1e-6).multiplyAdd(attentionMod[1] + 1, attentionMod[0]).reshaped([b, n, d])
        let q = try rope.apply(queryNorm(query(h).reshaped([b, n, heads, dh])))
        let k = try rope.apply(keyNorm(key(h).reshaped([b, n, heads, dh])))
        let v = try value(h).reshaped([b, n, heads, dh])
        let attended: Tensor
        if let memory {
            let m = memory.key.shape[1]
            var memoryKey = try keyNorm(memory.key.reshaped([b, m, heads, dh]))
            if let memoryRoPE = memory.rope { memoryKey = try memoryRoPE.apply(memoryKey) }
            attended = try Tensor.attention(query: q, key: k, value: v, memoryKey: memoryKey,
                                            memoryValue: memory.value.reshaped([b, m, heads, dh]))
        } else {
            attended = try Tensor.attention(query: q, key: k, value: v)
        }
        let afterAttention = try output(attended.reshaped([b, n, d])).reshaped([b, f, s, d]).multiplyAdd(attentionMod[2], framed)
        let mlpMod = try modulation(mlpModulationDown, mlpModulationUp)
        let h2 = try afterAttention.layerNorm(eps: 1e-6).multiplyAdd(mlpMod[1] + 1, mlpMod[0])
        return try fc2(fc1(h2).gelu()).multiplyAdd(mlpMod[2], afterAttention).reshaped([b, n, d])
    }
}
