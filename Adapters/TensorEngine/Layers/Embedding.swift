import ProphRLCore

/// A lookup table of `count` learned vectors of size `dims`.
public final class Embedding: Module {
    /// `[count, dims]`.
    public let weight: Parameter

    /// Creates the table with `N(0, 1)` entries drawn from `rng` (PyTorch's default).
    /// - Throws: ``TensorError`` for negative sizes.
    public init(_ count: Int, _ dims: Int, rng: inout SeededGenerator) throws {
        weight = Parameter(try Tensor.normal([count, dims], using: &rng))
    }

    /// The rows for `indices`, shaped `[indices.count, dims]`.
    /// - Throws: ``TensorError`` for an index outside the table.
    public func callAsFunction(_ indices: [Int]) throws -> Tensor { try weight.value.gather(indices) }
}
