import ProphRLCore

// Creation: constants, ranges and seeded random tensors (every random source is a SeededGenerator).

extension Tensor {
    /// A tensor of `shape` filled with `value`.
    /// - Throws: ``TensorError`` for a negative dimension.
    public static func full(_ shape: [Int], value: Float) throws -> Tensor {
        Tensor(unchecked: [Float](repeating: value, count: try Shape.validatedCount(shape, op: "full")), shape: shape)
    }

    /// Zeros of `shape`.
    public static func zeros(_ shape: [Int]) throws -> Tensor { try full(shape, value: 0) }

    /// Ones of `shape`.
    public static func ones(_ shape: [Int]) throws -> Tensor { try full(shape, value: 1) }

    /// `start, start + step, ...` below `end` (1-D).
    /// - Throws: ``TensorError`` if `step` is zero or not finite.
    public static func arange(_ start: Float = 0, _ end: Float, step: Float = 1) throws -> Tensor {
        guard step != 0, step.isFinite, start.isFinite, end.isFinite else {
            throw TensorError.invalidArgument(op: "arange", argument: "step", reason: "expected a finite non-zero step, got \(step)")
        }
        let n = Swift.max(0, Int(((end - start) / step).rounded(.up)))
        return Tensor(unchecked: (0..<n).map { start + Float($0) * step }, shape: [n])
    }

    /// Normal samples `mean + std · N(0, 1)` drawn from `rng`.
    /// - Throws: ``TensorError`` for a negative dimension.
    public static func normal(_ shape: [Int], mean: Float = 0, std: Float = 1,
                              using rng: inout SeededGenerator) throws -> Tensor {
        let n = try Shape.validatedCount(shape, op: "normal")
        return Tensor(unchecked: (0..<n).map { _ in mean + std * Float(rng.nextGaussian()) }, shape: shape)
    }

    /// Normal samples from a fresh generator seeded with `seed`.
    public static func normal(_ shape: [Int], mean: Float = 0, std: Float = 1, seed: UInt64) throws -> Tensor {
        var rng = SeededGenerator(seed: seed)
        return try normal(shape, mean: mean, std: std, using: &rng)
    }

    /// Uniform samples in `[low, high)` drawn from `rng`.
    /// - Throws: ``TensorError`` for a negative dimension.
    public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1,
                               using rng: inout SeededGenerator) throws -> Tensor {
        let n = try Shape.validatedCount(shape, op: "uniform")
        return Tensor(unchecked: (0..<n).map { _ in low + (high - low) * Float(rng.nextUniform()) }, shape: shape)
    }

    /// Uniform samples from a fresh generator seeded with `seed`.
    public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1, seed: UInt64) throws -> Tensor {
        var rng = SeededGenerator(seed: seed)
        return try uniform(shape, low: low, high: high, using: &rng)
    }
}
