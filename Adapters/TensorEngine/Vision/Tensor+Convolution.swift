// Convolutions via im2col + one GEMM, channels-last. Forward: cols[rows, Cin·k] · Wᵀ + b.
// Backward: dW = gᵀ·cols, dcols = g·W scattered back (col2im), db = column sums of g.

extension Tensor {
    /// 3-D convolution of a channels-last input `[B, D, H, W, Cin]` with `weight` `[Cout, Cin, kD, kH, kW]`
    /// (PyTorch's layout) and optional `bias` `[Cout]`; returns `[B, Do, Ho, Wo, Cout]`.
    ///
    /// - Parameters:
    ///   - stride: per axis (depth, height, width).
    ///   - padding: zero padding (before, after) per axis.
    ///   - causalTemporal: pad the depth (time) axis with `kD − 1` frames before and none after, so an
    ///     output frame sees only current and past input frames (overrides `padding[0]`).
    /// - Throws: ``TensorError`` when shapes, strides or padding do not fit.
    public func conv3d(_ weight: Tensor, bias: Tensor? = nil, stride: (Int, Int, Int) = (1, 1, 1),
                       padding: [(Int, Int)] = [(0, 0), (0, 0), (0, 0)], causalTemporal: Bool = false) throws -> Tensor {
        guard rank == 5 else {
            throw TensorError.shapeMismatch(op: "conv3d", argument: "self", expected: "[B, D, H, W, Cin]", actual: "\(shape)")
        }
        guard weight.rank == 5, weight.shape[1] == shape[4] else {
            throw TensorError.shapeMismatch(op: "conv3d", argument: "weight", expected: "[Cout, \(shape[4]), kD, kH, kW]", actual: "\(weight.shape)")
        }
        let cout = weight.shape[0]
        if let bias, bias.shape != [cout] {
            throw TensorError.shapeMismatch(op: "conv3d", argument: "bias", expected: "[\(cout)]", actual: "\(bias.shape)")
        }
        var pads = padding
        if causalTemporal, pads.count == 3 { pads[0] = (weight.shape[2] - 1, 0) }
        let geometry = try ConvGeometry(input: shape, kernel: (weight.shape[2], weight.shape[3], weight.shape[4]),
                                        stride: stride, padding: pads, op: "conv3d")
        let cols = Tensor.im2col(scalars, geometry)
        let colTensor = Tensor(unchecked: cols, shape: [geometry.rows, geometry.columns])
        let flatWeight = Tensor(unchecked: weight.scalars, shape: [cout, geometry.columns])
        let out = try noGrad { try colTensor.linear(flatWeight, bias: bias?.detached()) }.scalars
        let outShape = [geometry.batch, geometry.output.0, geometry.output.1, geometry.output.2, cout]
        let (w, inputCount, rows, columns) = (weight.scalars, count, geometry.rows, geometry.columns)
        let inputs = bias.map { [self, weight, $0] } ?? [self, weight]
        return Tensor.make("conv3d", out, shape: outShape, inputs: inputs) { g, needs in
            var grads: [[Float]?] = Array(repeating: nil, count: needs.count)
            if needs[0] {
                let dcols = Tensor.batchedGemm(g, w, batch: 1, m: rows, n: columns, k: cout, transA: false, transB: false,
                                               strideA: 0, strideB: 0, strideC: 0, outCount: rows * columns)
                grads[0] = Tensor.col2im(dcols, geometry, inputCount: inputCount)
            }
            if needs[1] {
                grads[1] = Tensor.batchedGemm(g, cols, batch: 1, m: cout, n: columns, k: rows, transA: true, transB: false,
                                              strideA: 0, strideB: 0, strideC: 0, outCount: cout * columns)
            }
            if needs.count > 2, needs[2] { grads[2] = Kernels.sumToShape(g, from: [rows, cout], to: [cout]) }
            return grads
        }
    }

    /// 2-D convolution of `[B, H, W, Cin]` with `weight` `[Cout, Cin, kH, kW]`; returns `[B, Ho, Wo, Cout]`.
    /// - Throws: ``TensorError`` when shapes, strides or padding do not fit.
    public func conv2d(_ weight: Tensor, bias: Tensor? = nil, stride: (Int, Int) = (1, 1),
                       padding: [(Int, Int)] = [(0, 0), (0, 0)]) throws -> Tensor {
        guard rank == 4, weight.rank == 4, padding.count == 2 else {
            throw TensorError.shapeMismatch(op: "conv2d", argument: "self/weight", expected: "[B, H, W, Cin] and [Cout, Cin, kH, kW]",
                                            actual: "\(shape) and \(weight.shape)")
        }
        let x = try reshaped([shape[0], 1] + shape.dropFirst())
        let w = try weight.reshaped([weight.shape[0], weight.shape[1], 1, weight.shape[2], weight.shape[3]])
        let y = try x.conv3d(w, bias: bias, stride: (1, stride.0, stride.1), padding: [(0, 0)] + padding)
        return try y.reshaped([y.shape[0], y.shape[2], y.shape[3], y.shape[4]])
    }

    static func im2col(_ x: [Float], _ geometry: ConvGeometry) -> [Float] {
        var cols = [Float](repeating: 0, count: geometry.rows * geometry.columns)
        let columns = geometry.columns
        x.withUnsafeBufferPointer { px in
            cols.withUnsafeMutableBufferPointer { pc in
                geometry.forEachTap { row, column, index in pc[row * columns + column] = px[index] }
            }
        }
        return cols
    }

    static func col2im(_ cols: [Float], _ geometry: ConvGeometry, inputCount: Int) -> [Float] {
        var dx = [Float](repeating: 0, count: inputCount)
        let columns = geometry.columns
        cols.withUnsafeBufferPointer { pc in
            dx.withUnsafeMutableBufferPointer { pd in
                geometry.forEachTap { row, column, index in pd[index] += pc[row * columns + column] }
            }
        }
        return dx
    }
}
