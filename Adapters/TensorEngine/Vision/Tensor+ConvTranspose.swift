// Transposed 2-D convolution (the adjoint of conv2d with the same kernel, stride and padding), via
// one GEMM and col2im: cols[B·H·W, Cout·kH·kW] = x · W, scattered onto the output. Backward: the
// output gradient gathered by im2col gives dcols; dx = dcols · Wᵀ, dW = xᵀ · dcols, db = sums of g.

extension Tensor {
    /// Transposed convolution of a channels-last `[B, H, W, Cin]` with `weight` `[Cin, Cout, kH, kW]`
    /// (PyTorch's `ConvTranspose2d` layout) and optional `bias` `[Cout]`; returns `[B, Ho, Wo, Cout]` with
    /// `Ho = (H − 1)·strideH − 2·padH + kH + outputPaddingH` (likewise for the width).
    /// - Throws: ``TensorError`` when shapes do not fit, or unless `stride >= 1`, `padding >= 0` and
    ///   `0 <= outputPadding < stride` per axis, and the output is non-empty.
    public func convTranspose2d(_ weight: Tensor, bias: Tensor? = nil, stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0),
                                outputPadding: (Int, Int) = (0, 0)) throws -> Tensor {
        let op = "convTranspose2d"
        guard rank == 4 else { throw TensorError.shapeMismatch(op: op, argument: "self", expected: "[B, H, W, Cin]", actual: "\(shape)") }
        let (b, h, w, cin) = (shape[0], shape[1], shape[2], shape[3])
        guard weight.rank == 4, weight.shape[0] == cin else {
            throw TensorError.shapeMismatch(op: op, argument: "weight", expected: "[\(cin), Cout, kH, kW]", actual: "\(weight.shape)")
        }
        let (cout, kh, kw) = (weight.shape[1], weight.shape[2], weight.shape[3])
        if let bias, bias.shape != [cout] {
            throw TensorError.shapeMismatch(op: op, argument: "bias", expected: "[\(cout)]", actual: "\(bias.shape)")
        }
        guard stride.0 >= 1, stride.1 >= 1, padding.0 >= 0, padding.1 >= 0, outputPadding.0 >= 0, outputPadding.1 >= 0,
              outputPadding.0 < stride.0, outputPadding.1 < stride.1 else {
            throw TensorError.invalidArgument(op: op, argument: "stride/padding/outputPadding",
                                              reason: "expected stride >= 1, padding >= 0, 0 <= outputPadding < stride, got \(stride), \(padding), \(outputPadding)")
        }
        let ho = (h - 1) * stride.0 - 2 * padding.0 + kh + outputPadding.0
        let wo = (w - 1) * stride.1 - 2 * padding.1 + kw + outputPadding.1
        guard ho >= 1, wo >= 1, h >= 1, w >= 1 else {
            throw TensorError.invalidArgument(op: op, argument: "padding", reason: "the output [\(ho), \(wo)] is empty for input \(shape)")
        }
        // The conv2d that this op is the adjoint of maps [B, Ho, Wo, Cout] to [B, H, W, Cin].
        let geometry = try ConvGeometry(input: [b, 1, ho, wo, cout], kernel: (1, kh, kw), stride: (1, stride.0, stride.1),
                                        padding: [(0, 0), (padding.0, padding.0), (padding.1, padding.1)], op: op)
        guard geometry.output == (1, h, w) else {
            throw TensorError.invalidArgument(op: op, argument: "padding", reason: "input \(shape) does not fit kernel \((kh, kw)), stride \(stride), padding \(padding)")
        }
        let (rows, columns) = (b * h * w, cout * kh * kw)
        let outCount = b * ho * wo * cout
        let x = scalars, wt = weight.scalars
        let cols = Tensor.batchedGemm(x, wt, batch: 1, m: rows, n: columns, k: cin, transA: false, transB: false,
                                      strideA: 0, strideB: 0, strideC: 0, outCount: rows * columns)
        var out = Tensor.col2im(cols, geometry, inputCount: outCount)
        if let bias {
            let bv = bias.scalars
            for i in 0..<(outCount / Swift.max(cout, 1)) { for j in 0..<cout { out[i * cout + j] += bv[j] } }
        }
        let inputs = bias.map { [self, weight, $0] } ?? [self, weight]
        return Tensor.make(op, out, shape: [b, ho, wo, cout], inputs: inputs) { g, needs in
            var grads: [[Float]?] = Array(repeating: nil, count: needs.count)
            let dcols = Tensor.im2col(g, geometry)   // [rows, Cout·kH·kW]
            if needs[0] {
                grads[0] = Tensor.batchedGemm(dcols, wt, batch: 1, m: rows, n: cin, k: columns, transA: false, transB: true,
                                              strideA: 0, strideB: 0, strideC: 0, outCount: rows * cin)
            }
            if needs[1] {
                grads[1] = Tensor.batchedGemm(x, dcols, batch: 1, m: cin, n: columns, k: rows, transA: true, transB: false,
                                              strideA: 0, strideB: 0, strideC: 0, outCount: cin * columns)
            }
            if needs.count > 2, needs[2] { grads[2] = Kernels.sumToShape(g, from: [outCount / Swift.max(cout, 1), cout], to: [cout]) }
            return grads
        }
    }
}
