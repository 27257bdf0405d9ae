import ProphRLCore

/// The activations an ``MLP`` can use between layers.
public enum Activation: String, Sendable, CaseIterable {
    /// `x·σ(x)`.
    case silu
    /// Exact GELU.
    case gelu
    /// GELU with the tanh approximation.
    case geluTanh
    /// `max(x, 0)`.
    case relu
    /// Hyperbolic tangent.
    case tanh

    /// Applies the activation.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        switch self {
        case .silu: return x.silu()
        case .gelu: return x.gelu()
        case .geluTanh: return x.gelu(approximate: true)
        case .relu: return x.relu()
        case .tanh: return x.tanh()
        }
    }
}

/// A multi-layer perceptron: `Linear` layers of the given widths with an activation between them
/// (none after the last). Parameters are `layers.0.weight`, `layers.0.bias`, ...
public final class MLP: Module, UnaryLayer {
    /// The linear layers in order.
    public let layers: [Linear]
    /// The activation between layers.
    public let activation: Activation

    /// Creates `widths.count − 1` layers, `widths[i] → widths[i+1]`.
    /// - Throws: ``TensorError`` for fewer than two widths or a non-positive width.
    public init(_ widths: [Int], activation: Activation = .silu, rng: inout SeededGenerator) throws {
        guard widths.count >= 2 else {
            throw TensorError.invalidArgument(op: "MLP", argument: "widths", reason: "expected at least 2, got \(widths)")
        }
        var layers: [Linear] = []
        for i in 0..<(widths.count - 1) { layers.append(try Linear(widths[i], widths[i + 1], rng: &rng)) }
        self.layers = layers
        self.activation = activation
    }

    /// Applies the layers.
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        var h = x
        for (i, layer) in layers.enumerated() {
            h = try layer(h)
            if i < layers.count - 1 { h = activation(h) }
        }
        return h
    }
}
