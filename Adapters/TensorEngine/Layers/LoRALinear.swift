import ProphRLCore

/// Low-rank adaptation of a ``Linear`` layer: `y = base(x) + (α/r) · x·Aᵀ·Bᵀ`, with the base frozen,
/// `A` `[r, in]` random and `B` `[out, r]` zero, so the wrapper reproduces the base exactly at init.
///
/// Parameters are `base.weight`, `base.bias`, `loraA`, `loraB`; ``merge()`` folds the update into
/// the base weight for inference and ``unmerge()`` takes it out again.
public final class LoRALinear: Module, UnaryLayer {
    /// The wrapped layer (frozen by the initialiser).
    public let base: Linear
    /// `[rank, in]` down-projection.
    public let loraA: Parameter
    /// `[out, rank]` up-projection (zero at init).
    public let loraB: Parameter
    /// The rank `r`.
    public let rank: Int
    /// The scale numerator `α` (the update is scaled by `α / r`).
    public let alpha: Float
    /// True while the update is folded into `base.weight`.
    public private(set) var isMerged = false

    /// Wraps `base`, freezing it.
    /// - Throws: ``TensorError`` unless `1 <= rank <= min(in, out)`.
    public init(_ base: Linear, rank: Int, alpha: Float, rng: inout SeededGenerator) throws {
        let (outputs, inputs) = (base.weight.value.shape[0], base.weight.value.shape[1])
        guard rank >= 1, rank <= Swift.min(inputs, outputs) else {
            throw TensorError.invalidArgument(op: "LoRALinear", argument: "rank", reason: "expected 1...\(Swift.min(inputs, outputs)), got \(rank)")
        }
        self.base = base
        self.rank = rank
        self.alpha = alpha
        let bound = 1 / Float(inputs).squareRoot()
        loraA = Parameter(try Tensor.uniform([rank, inputs], low: -bound, high: bound, using: &rng))
        loraB = Parameter(try Tensor.zeros([outputs, rank]))
        super.init()
        base.freeze()
    }

    /// `α / r`.
    public var scale: Float { alpha / Float(rank) }

    /// The adapted layer's output.
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let y = try base(x)
        if isMerged { return y }
        let update = try x.matmul(loraA.value, transposeOther: true).matmul(loraB.value, transposeOther: true)
        return try y + update * scale
    }

    /// Folds `(α/r)·B·A` into the base weight (no-op when merged).
    public func merge() throws {
        guard !isMerged else { return }
        base.weight.value = try noGrad { try base.weight.value + loraB.value.matmul(loraA.value) * scale }
        isMerged = true
    }

    /// Subtracts the update from the base weight again (no-op when not merged).
    public func unmerge() throws {
        guard isMerged else { return }
        base.weight.value = try noGrad { try base.weight.value - loraB.value.matmul(loraA.value) * scale }
        isMerged = false
    }
}
