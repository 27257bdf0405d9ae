import Foundation

/// Rotary position embedding tables: each interleaved pair `(x[2i], x[2i+1])` of a head vector is
/// rotated by `position · frequency_i`. 1-D positions (a sequence) or 3-D positions (frame, row,
/// column of a video latent, with the pairs split into three groups, one per axis).
///
/// ```swift
/// let rope = try RoPE.grid3D(frames: 4, height: 8, width: 8, headDim: 64)
/// let q = try rope.apply(query)      // query: [B, 256, H, 64]
/// ```
public struct RoPE: Sendable {
    /// Tokens covered (rows of the tables).
    public let tokens: Int
    /// The head dimension (even).
    public let headDim: Int
    let cosines: [Float]
    let sines: [Float]

    /// Tables for positions `0..<tokens` of a sequence, frequencies `base^(−2i/headDim)`.
    /// - Throws: ``TensorError`` if `headDim` is odd or non-positive, or `tokens` is negative.
    public static func sequence(tokens: Int, headDim: Int, base: Double = 10_000) throws -> RoPE {
        try RoPE(positions: (0..<Swift.max(tokens, 0)).map { [Double($0)] }, groups: [headDim / 2], headDim: headDim, base: base, tokens: tokens)
    }

    /// Tables for a `frames × height × width` grid in row-major token order; the `headDim/2` pairs are
    /// split into (frame, row, column) groups, the row and column groups a third each (rounded down).
    /// - Throws: ``TensorError`` if `headDim` is not even or is too small for three groups.
    public static func grid3D(frames: Int, height: Int, width: Int, headDim: Int, base: Double = 10_000) throws -> RoPE {
        var positions: [[Double]] = []
        for f in 0..<Swift.max(frames, 0) {
            for y in 0..<Swift.max(height, 0) { for x in 0..<Swift.max(width, 0) { positions.append([Double(f), Double(y), Double(x)]) } }
        }
        return try positions3D(positions, headDim: headDim, base: base)
    }

    /// Tables for arbitrary (frame, row, column) positions, one `[t, y, x]` per token; positions may be negative or
    /// fractional (pooled memory tokens sit at the centre of their pooling block), grouped as in ``grid3D``.
    /// - Throws: ``TensorError`` if `headDim` is not even or is too small for three groups, or a position is not 3-D.
    public static func positions3D(_ positions: [[Double]], headDim: Int, base: Double = 10_000) throws -> RoPE {
        let pairs = headDim / 2, spatial = pairs / 3
        guard spatial >= 1 else {
            throw TensorError.invalidArgument(op: "RoPE.positions3D", argument: "headDim", reason: "expected >= 6, got \(headDim)")
        }
        if let bad = positions.firstIndex(where: { $0.count != 3 }) {
            throw TensorError.invalidArgument(op: "RoPE.positions3D", argument: "positions[\(bad)]",
                                              reason: "expected [t, y, x], got \(positions[bad].count) values")
        }
        return try RoPE(positions: positions, groups: [pairs - 2 * spatial, spatial, spatial], headDim: headDim, base: base,
                        tokens: positions.count)
    }

    private init(positions: [[Double]], groups: [Int], headDim: Int, base: Double, tokens: Int) throws {
        guard headDim > 0, headDim % 2 == 0 else {
            throw TensorError.invalidArgument(op: "RoPE", argument: "headDim", reason: "expected a positive even number, got \(headDim)")
        }
        guard tokens >= 0 else {
            throw TensorError.invalidArgument(op: "RoPE", argument: "tokens", reason: "expected >= 0, got \(tokens)")
        }
        var cosines: [Float] = [], sines: [Float] = []
        for position in positions {
            for (axis, size) in groups.enumerated() {
                for i in 0..<size {
                    let angle = position[axis] * Foundation.pow(base, -2 * Double(i) / Double(2 * size))
                    cosines.append(Float(Foundation.cos(angle)))
                    sines.append(Float(Foundation.sin(angle)))
                }
            }
        }
        self.tokens = tokens
        self.headDim = headDim
        self.cosines = cosines
        self.sines = sines
    }

    /// Rotates `x` of shape `[B, tokens, H, headDim]`; the backward rotates the gradient back.
    /// - Throws: ``TensorError`` if the shape does not fit the tables.
    public func apply(_ x: Tensor) throws -> Tensor {
        guard x.rank == 4, x.shape[1] == tokens, x.shape[3] == headDim else {
            throw TensorError.shapeMismatch(op: "RoPE.apply", argument: "x", expected: "[B, \(tokens), H, \(headDim)]", actual: "\(x.shape)")
        }
        let out = rotate(x.scalars, shape: x.shape, direction: 1)
        let shape = x.shape
        return Tensor.make("rope", out, shape: shape, inputs: [x]) { g, _ in [self.rotate(g, shape: shape, direction: -1)] }
    }

    private func rotate(_ x: [Float], shape: [Int], direction: Float) -> [Float] {
        let (b, t, h) = (shape[0], shape[1], shape[2]), pairs = headDim / 2
        var y = [Float](repeating: 0, count: x.count)
        x.withUnsafeBufferPointer { px in
            y.withUnsafeMutableBufferPointer { py in
                for bi in 0..<b {
                    for ti in 0..<t {
                        let table = ti * pairs
                        for hi in 0..<h {
                            let base = ((bi * t + ti) * h + hi) * headDim
                            for i in 0..<pairs {
                                let c = cosines[table + i], s = direction * sines[table + i]
                                let x0 = px[base + 2 * i], x1 = px[base + 2 * i + 1]
                                py[base + 2 * i] = x0 * c - x1 * s
                                py[base + 2 * i + 1] = x0 * s + x1 * c
                            }
                        }
                    }
                }
            }
        }
        return y
    }
}
