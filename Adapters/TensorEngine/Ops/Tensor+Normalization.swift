import CTensorKernels
import ProphRLCore

// Normalisation over the last axis as fused primitives (one pass forward, one pass backward);
// affine weights and biases are applied with the broadcast primitives on top.

extension Tensor {
    /// LayerNorm over the last axis: `(x − mean) / √(var + eps)`, then `· weight + bias` when given.
    /// - Throws: ``TensorError`` if `weight`/`bias` are not shaped like the last axis.
    public func layerNorm(weight: Tensor? = nil, bias: Tensor? = nil, eps: Float = 1e-5) throws -> Tensor {
        let normalized = lastAxisNorm(centered: true, eps: eps)
        return try normalized.affine(weight: weight, bias: bias, op: "layerNorm")
    }

    /// RMSNorm over the last axis: `x / √(mean(x²) + eps)`, then `· weight` when given.
    /// - Throws: ``TensorError`` if `weight` is not shaped like the last axis.
    public func rmsNorm(weight: Tensor? = nil, eps: Float = 1e-6) throws -> Tensor {
        try lastAxisNorm(centered: false, eps: eps).affine(weight: weight, bias: nil, op: "rmsNorm")
    }

    private func affine(weight: Tensor?, bias: Tensor?, op: String) throws -> Tensor {
        let last = [shape.last ?? 1]
        var y = self
        if let weight {
            guard weight.shape == last else {
                throw TensorError.shapeMismatch(op: op, argument: "weight", expected: "\(last)", actual: "\(weight.shape)")
            }
            y = try y * weight
        }
        if let bias {
            guard bias.shape == last else {
                throw TensorError.shapeMismatch(op: op, argument: "bias", expected: "\(last)", actual: "\(bias.shape)")
            }
            y = try y + bias
        }
        return y
    }

    /// `x̂ = (x − μ)/σ` (centered) or `x/rms`; backward `dx = (g − mean(g) − x̂·mean(g·x̂)) / σ`
    /// (the `mean(g)` term only when centered).
    private func lastAxisNorm(centered: Bool, eps: Float) -> Tensor {
        let n = shape.last ?? 1, rows = count / Swift.max(n, 1)
        var out = [Float](repeating: 0, count: count)
        var inverse = [Float](repeating: 0, count: rows)
        scalars.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in inverse.withUnsafeMutableBufferPointer { inv in
                guard let x0 = x.baseAddress, let y0 = y.baseAddress else { return }
                Parallel.chunks(rows, costPerItem: n) { range in
                    for r in range {
                        inv[r] = ctk_norm_row_forward(x0 + r * n, y0 + r * n, n, centered ? 1 : 0, eps)
                    }
                }
            }}
        }
        let xhat = out, inverseStd = inverse
        return Tensor.make(centered ? "layerNorm" : "rmsNorm", xhat, shape: shape, inputs: [self]) { g, _ in
            var dx = [Float](repeating: 0, count: xhat.count)
            g.withUnsafeBufferPointer { pg in xhat.withUnsafeBufferPointer { px in dx.withUnsafeMutableBufferPointer { pd in
                guard let g0 = pg.baseAddress, let x0 = px.baseAddress, let d0 = pd.baseAddress else { return }
                Parallel.chunks(rows, costPerItem: n) { range in
                    for r in range {
                        ctk_norm_row_backward(g0 + r * n, x0 + r * n, d0 + r * n, n, centered ? 1 : 0, inverseStd[r])
                    }
                }
            }}}
            return [dx]
        }
    }

    // MARK: - Losses and regularisation

    /// Mean squared error `mean((self − target)²)`.
    /// - Throws: ``TensorError`` when the shapes do not broadcast.
    public func mseLoss(_ target: Tensor) throws -> Tensor { try (self - target).square().mean() }

    /// Mean absolute error `mean(|self − target|)`.
    /// - Throws: ``TensorError`` when the shapes do not broadcast.
    public func l1Loss(_ target: Tensor) throws -> Tensor { try (self - target).abs().mean() }

    /// Inverted dropout: zeroes each element with probability `p` (mask from `rng`) and scales the
    /// rest by `1/(1−p)`; returns the input unchanged when `p == 0`.
    /// - Throws: ``TensorError`` unless `0 <= p < 1`.
    public func dropout(_ p: Float, using rng: inout SeededGenerator) throws -> Tensor {
        guard p >= 0, p < 1 else {
            throw TensorError.invalidArgument(op: "dropout", argument: "p", reason: "expected in [0, 1), got \(p)")
        }
        if p == 0 { return self }
        let keep = 1 / (1 - p)
        let mask = Tensor(unchecked: (0..<count).map { _ in rng.nextUniform() >= Double(p) ? keep : 0 }, shape: shape)
        return try self * mask
    }
}
