import ProphRLCore
import TensorEngine

/// One DiT block with adaLN-zero modulation and attention over [memory tokens; main tokens].
final class DiTBlock: Module {
    let modulation: Linear   // c → (shift, scale, gate) × 2
    let qkv: Linear
    let proj: Linear
    let fc1: Linear
    let fc2: Linear
    let heads: Int

    init(width: Int, heads: Int, mlpRatio: Int, rng: inout SeededGenerator) throws {
        modulation = try Linear(width, 6 * width, rng: &rng)
        qkv = try Linear(width, 3 * width, rng: &rng)
        proj = try Linear(width, width, rng: &rng)
        fc1 = try Linear(width, mlpRatio * width, rng: &rng)
        fc2 = try Linear(mlpRatio * width, width, rng: &rng)
        self.heads = heads
    }

    /// `x`: [B, T, W]; `memory`: [B, M, W]; `c`: [B, W] (already SiLU'd).
    func callAsFunction(_ x: Tensor, memory: Tensor, condition c: Tensor) throws -> Tensor {
        let (b, t, w) = (x.shape[0], x.shape[1], x.shape[2]), m = memory.shape[1], d = w / heads
        let mod = try modulation(c).reshaped([b, 6, 1, w]).split([1, 1, 1, 1, 1, 1], axis: 1).map { try $0.reshaped([b, 1, w]) }
        let h = try x.layerNorm(eps: 1e-6).multiplyAdd(mod[1] + 1, mod[0])
        let qkvMain = try qkv(h).reshaped([b, t, 3, heads, d])
        let qkvMemory = try qkv(memory.layerNorm(eps: 1e-6)).reshaped([b, m, 3, heads, d])
        let q = try qkvMain.slice(axis: 2, 0..<1).reshaped([b, t, heads, d])
        let k = try qkvMain.slice(axis: 2, 1..<2).reshaped([b, t, heads, d])
        let v = try qkvMain.slice(axis: 2, 2..<3).reshaped([b, t, heads, d])
        let mk = try qkvMemory.slice(axis: 2, 1..<2).reshaped([b, m, heads, d])
        let mv = try qkvMemory.slice(axis: 2, 2..<3).reshaped([b, m, heads, d])
        let attended = try Tensor.attention(query: q, key: k, value: v, memoryKey: mk, memoryValue: mv).reshaped([b, t, w])
        let x1 = try proj(attended).multiplyAdd(mod[2], x)
        let h2 = try x1.layerNorm(eps: 1e-6).multiplyAdd(mod[4] + 1, mod[3])
        return try fc2(fc1(h2).gelu(approximate: true)).multiplyAdd(mod[5], x1)
    }
}

/// The benchmark DiT: patch embedding, `depth` adaLN-zero blocks, adaLN final layer, linear head.
final class DiT: Module {
    let patchEmbed: Linear
    let blocks: [DiTBlock]
    let finalModulation: Linear
    let head: Linear
    let patch: Int

    init(patch: Int, channels: Int, width: Int, depth: Int, heads: Int, mlpRatio: Int, rng: inout SeededGenerator) throws {
        self.patch = patch
        patchEmbed = try Linear(patch * patch * channels, width, rng: &rng)
        blocks = try (0..<depth).map { _ in try DiTBlock(width: width, heads: heads, mlpRatio: mlpRatio, rng: &rng) }
        finalModulation = try Linear(width, 2 * width, rng: &rng)
        head = try Linear(width, patch * patch * channels, rng: &rng)
        super.init()
        // adaLN-zero: modulations start at zero, so every block starts as the identity.
        for block in blocks { try block.update(parameters: ["modulation.weight": Tensor.zeros([6 * width, width]), "modulation.bias": Tensor.zeros([6 * width])]) }
    }

    /// Velocity tokens `[B, T, p·p·C]` for latent `[B, F, H, W, C]`, memory tokens `[B, M, W]`, condition `[B, W]`.
    func callAsFunction(_ latent: Tensor, memory: Tensor, condition: Tensor) throws -> Tensor {
        var x = try patchEmbed(latent.patchify(patch))
        let c = condition.silu()
        for block in blocks { x = try block(x, memory: memory, condition: c) }
        let (b, w) = (x.shape[0], x.shape[2])
        let mod = try finalModulation(c).reshaped([b, 2, 1, w]).split([1, 1], axis: 1).map { try $0.reshaped([b, 1, w]) }
        return try head(x.layerNorm(eps: 1e-6).multiplyAdd(mod[1] + 1, mod[0]))
    }
}

/// dit-step: depth 4, width 256, 4 heads, MLP ratio 4 (GELU-tanh), adaLN-zero from a 256-d condition,
/// 256 tokens (4 frames × 8×8 patches of a 16×16×4 latent, patch 2) plus 64 memory tokens, batch 4,
/// velocity-MSE loss. Times forward only (no gradient) and forward + backward + AdamW.
enum DiTBench {
    static func run(repeats: Int, profile: Bool = false) throws -> [BenchResult] {
        var rng = SeededGenerator(seed: 21)
        let model = try DiT(patch: 2, channels: 4, width: 256, depth: 4, heads: 4, mlpRatio: 4, rng: &rng)
        let latent = try Tensor.normal([4, 4, 16, 16, 4], using: &rng)
        let memory = try Tensor.normal([4, 64, 256], using: &rng)
        let condition = try Tensor.normal([4, 256], using: &rng)
        let target = try Tensor.normal([4, 256, 16], using: &rng)
        let optimizer = AdamW(learningRate: 1e-4)
        if profile {
            try Profiler.profile("dit-step forward", repeats: repeats) {
                _ = try noGrad { try model(latent, memory: memory, condition: condition) }
            }
            try Profiler.profile("dit-step forward-backward-adamw", repeats: repeats) {
                let (_, grads) = try valueAndGrad(model) { m in try m(latent, memory: memory, condition: condition).mseLoss(target) }
                OpProfile.mark("valueAndGrad:collect")
                try optimizer.update(model, gradients: grads)
                OpProfile.mark("adamw")
            }
            return []
        }
        let forward = try Timing.milliseconds(repeats: repeats) {
            _ = try noGrad { try model(latent, memory: memory, condition: condition) }
        }
        let train = try Timing.milliseconds(repeats: repeats) {
            let (_, grads) = try valueAndGrad(model) { m in try m(latent, memory: memory, condition: condition).mseLoss(target) }
            try optimizer.update(model, gradients: grads)
        }
        return [BenchResult(workload: "dit-step", phase: "forward", forward),
                BenchResult(workload: "dit-step", phase: "forward-backward-adamw", train)]
    }
}
