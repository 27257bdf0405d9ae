import ProphRLCore

/// A fully connected layer `y = x · Wᵀ + b` with `W` of shape `[out, in]` (PyTorch's layout, so
/// weights load from PyTorch checkpoints unchanged).
public final class Linear: Module, UnaryLayer {
    /// `[outputs, inputs]`.
    public let weight: Parameter
    /// `[outputs]`, or nil without bias.
    public let bias: Parameter?

    /// Creates the layer with PyTorch's default init, `U(−1/√in, 1/√in)`, drawn from `rng`.
    /// - Throws: ``TensorError`` for non-positive sizes.
    public init(_ inputs: Int, _ outputs: Int, bias: Bool = true, rng: inout SeededGenerator) throws {
        guard inputs > 0, outputs > 0 else {
            throw TensorError.invalidArgument(op: "Linear", argument: "sizes", reason: "expected positive, got (\(inputs), \(outputs))")
        }
        let bound = 1 / Float(inputs).squareRoot()
        weight = Parameter(try Tensor.uniform([outputs, inputs], low: -bound, high: bound, using: &rng))
        self.bias = bias ? Parameter(try Tensor.uniform([outputs], low: -bound, high: bound, using: &rng)) : nil
    }

    /// Creates the layer from given tensors.
    /// - Throws: ``TensorError`` if `weight` is not 2-D or `bias` does not match its rows.
    public init(weight: Tensor, bias: Tensor?) throws {
        guard weight.rank == 2 else {
            throw TensorError.shapeMismatch(op: "Linear", argument: "weight", expected: "rank 2", actual: "\(weight.shape)")
        }
        if let bias, bias.shape != [weight.shape[0]] {
            throw TensorError.shapeMismatch(op: "Linear", argument: "bias", expected: "[\(weight.shape[0])]", actual: "\(bias.shape)")
        }
        self.weight = Parameter(weight)
        self.bias = bias.map { Parameter($0) }
    }

    /// `x · Wᵀ + b` over the last axis of `x`.
    /// - Throws: ``TensorError`` if the last axis of `x` is not the input size.
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try x.linear(weight.value, bias: bias?.value)
    }
}
