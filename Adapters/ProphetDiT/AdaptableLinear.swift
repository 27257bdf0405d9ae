import ProphRLCore
import TensorEngine

/// A bias-free linear layer that can gain a LoRA adapter (`W x + (α/r)·B A x`) for few-shot fine-tuning,
/// keeping its parameter paths (`base.weight`, `loraA`, `loraB`) stable across pretraining and fine-tuning.
final class AdaptableLinear: Module {
    let base: Linear
    var loraA: Parameter?
    var loraB: Parameter?
    private(set) var loraScale: Float = 0

    init(_ inputs: Int, _ outputs: Int, initScale: Float = 1, rng: inout SeededGenerator) throws {
        base = try Linear(inputs, outputs, bias: false, rng: &rng)
        if initScale != 1 { base.weight.value = base.weight.value * initScale }
    }

    /// Adds a rank-`rank` adapter with `B = 0` (the output is unchanged until trained).
    func enableLoRA(rank: Int, alpha: Float, rng: inout SeededGenerator) throws {
        let (outputs, inputs) = (base.weight.value.shape[0], base.weight.value.shape[1])
        let bound = 1 / Float(inputs).squareRoot()
        loraA = Parameter(try Tensor.uniform([rank, inputs], low: -bound, high: bound, using: &rng))
        loraB = Parameter(try Tensor.zeros([outputs, rank]))
        loraScale = alpha / Float(rank)
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        let y = try x.linear(base.weight.value)
        guard let a = loraA?.value, let b = loraB?.value else { return y }
        return try y + x.linear(a).linear(b) * loraScale
    }
}
