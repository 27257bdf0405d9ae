/// LayerNorm over the last axis, with or without a learned affine transform.
public final class LayerNorm: Module, UnaryLayer {
    /// `[dims]` scale (nil without affine).
    public let weight: Parameter?
    /// `[dims]` shift (nil without affine).
    public let bias: Parameter?
    /// Added to the variance.
    public let eps: Float

    /// Creates the layer; the affine transform starts as the identity.
    /// - Throws: ``TensorError`` for a non-positive size.
    public init(_ dims: Int, affine: Bool = true, eps: Float = 1e-5) throws {
        weight = affine ? Parameter(try Tensor.ones([dims])) : nil
        bias = affine ? Parameter(try Tensor.zeros([dims])) : nil
        self.eps = eps
    }

    /// Normalises the last axis of `x`.
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try x.layerNorm(weight: weight?.value, bias: bias?.value, eps: eps)
    }
}

/// RMSNorm over the last axis with a learned scale.
public final class RMSNorm: Module, UnaryLayer {
    /// `[dims]` scale.
    public let weight: Parameter
    /// Added to the mean square.
    public let eps: Float

    /// Creates the layer with a unit scale.
    /// - Throws: ``TensorError`` for a negative size.
    public init(_ dims: Int, eps: Float = 1e-6) throws {
        weight = Parameter(try Tensor.ones([dims]))
        self.eps = eps
    }

    /// Normalises the last axis of `x`.
    public func callAsFunction(_ x: Tensor) throws -> Tensor { try x.rmsNorm(weight: weight.value, eps: eps) }
}
