// Fused affine primitives: `x·Wᵀ + b` as one GEMM whose output starts as the bias rows (beta = 1),
// and `a·b + c` with broadcasting in one pass (adaLN modulation, gated residuals).

extension Tensor {
    /// `self · weightᵀ + bias` over the last axis: `weight` is `[out, in]`, `bias` `[out]`.
    /// - Throws: ``TensorError`` if the last axis is not `in` or `bias` is not `[out]`.
    public func linear(_ weight: Tensor, bias: Tensor? = nil) throws -> Tensor {
        guard weight.rank == 2, rank >= 1, shape[rank - 1] == weight.shape[1] else {
            throw TensorError.shapeMismatch(op: "linear", argument: "weight", expected: "[out, \(shape.last ?? 0)]", actual: "\(weight.shape)")
        }
        let (outputs, inputs) = (weight.shape[0], weight.shape[1])
        if let bias, bias.shape != [outputs] {
            throw TensorError.shapeMismatch(op: "linear", argument: "bias", expected: "[\(outputs)]", actual: "\(bias.shape)")
        }
        let rows = count / Swift.max(inputs, 1)
        var out: [Float]
        if let bias {
            out = [Float](unsafeUninitializedCapacity: rows * outputs) { buffer, initialized in
                bias.scalars.withUnsafeBufferPointer { b in
                    Parallel.chunks(rows, costPerItem: outputs) { range in
                        for r in range { for j in 0..<outputs { buffer[r * outputs + j] = b[j] } }
                    }
                }
                initialized = rows * outputs
            }
        } else {
            out = [Float](repeating: 0, count: rows * outputs)
        }
        let x = scalars, w = weight.scalars
        if rows > 0, inputs > 0 {
            x.withUnsafeBufferPointer { px in w.withUnsafeBufferPointer { pw in out.withUnsafeMutableBufferPointer { po in
                guard let a = px.baseAddress, let b = pw.baseAddress, let c = po.baseAddress else { return }
                BLAS.gemm(a, b, c, m: rows, n: outputs, k: inputs, transA: false, transB: true, beta: bias == nil ? 0 : 1)
            }}}
        }
        let inputList = bias.map { [self, weight, $0] } ?? [self, weight]
        return Tensor.make("linear", out, shape: Array(shape.dropLast()) + [outputs], inputs: inputList) { g, needs in
            var grads: [[Float]?] = [nil, nil, nil]
            if needs[0] {
                grads[0] = Tensor.batchedGemm(g, w, batch: 1, m: rows, n: inputs, k: outputs, transA: false, transB: false,
                                              strideA: 0, strideB: 0, strideC: 0, outCount: rows * inputs)
            }
            if needs[1] {
                grads[1] = Tensor.batchedGemm(g, x, batch: 1, m: outputs, n: inputs, k: rows, transA: true, transB: false,
                                              strideA: 0, strideB: 0, strideC: 0, outCount: outputs * inputs)
            }
            if needs.count > 2, needs[2] { grads[2] = Kernels.sumToShape(g, from: [rows, outputs], to: [outputs]) }
            return Array(grads.prefix(needs.count))
        }
    }

    /// `self · scale + shift` in one pass; `scale` and `shift` broadcast to this tensor's shape.
    /// - Throws: ``TensorError`` unless both broadcast to `self.shape`.
    public func multiplyAdd(_ scale: Tensor, _ shift: Tensor) throws -> Tensor {
        for (name, t) in [("scale", scale), ("shift", shift)] {
            guard try Shape.broadcast(shape, t.shape, op: "multiplyAdd") == shape else {
                throw TensorError.shapeMismatch(op: "multiplyAdd", argument: name, expected: "a shape broadcasting to \(shape)", actual: "\(t.shape)")
            }
        }
        let outShape = shape
        let sb = Shape.broadcastStrides(scale.shape, to: outShape), sc = Shape.broadcastStrides(shift.shape, to: outShape)
        let a = scalars, b = scale.scalars, c = shift.scalars
        let out = [Float](unsafeUninitializedCapacity: count) { o, initialized in
            a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in c.withUnsafeBufferPointer { pc in
                StridedLoop.runs2(outShape, sb, sc, parallel: true) { off, ib, ic, n, db, dc in
                    if db == 1 && dc == 1 {
                        for i in 0..<n { o[off + i] = pa[off + i] * pb[ib + i] + pc[ic + i] }
                    } else if db == 0 && dc == 0 {
                        let (s, t) = (pb[ib], pc[ic])
                        for i in 0..<n { o[off + i] = pa[off + i] * s + t }
                    } else {
                        for i in 0..<n { o[off + i] = pa[off + i] * pb[ib + i * db] + pc[ic + i * dc] }
                    }
                }
            }}}
            initialized = a.count
        }
        let (scaleShape, shiftShape) = (scale.shape, shift.shape)
        return Tensor.make("multiplyAdd", out, shape: outShape, inputs: [self, scale, shift]) { g, needs in
            [needs[0] ? Kernels.broadcastZip(g, outShape, b, scaleShape, outShape: outShape, *) : nil,
             needs[1] ? Kernels.sumProductToShape(g, a, from: outShape, to: scaleShape) : nil,
             needs[2] ? Kernels.sumToShape(g, from: outShape, to: shiftShape) : nil]
        }
    }
}
