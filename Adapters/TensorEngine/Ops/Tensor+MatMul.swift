// Batched matrix product on cblas_sgemm, with optional transposes of either operand.
// Forward C = op(A)·op(B); backward d op(A) = dC·op(B)ᵀ and d op(B) = op(A)ᵀ·dC, each written as
// one more GEMM with the transposes folded into the BLAS flags (no transposed copies).

extension Tensor {
    /// Matrix product over the last two axes: `op(self) · op(other)`, with `op` a transpose when asked.
    ///
    /// Batch axes (all but the last two) must be equal, or one operand must be 2-D and is shared by
    /// every batch (a 2-D `other` lets all rows of `self` go through a single GEMM):
    /// ```swift
    /// let y = try x.matmul(weight, transposeOther: true)   // [B, T, in] · [out, in]ᵀ → [B, T, out]
    /// ```
    /// - Throws: ``TensorError/shapeMismatch(op:argument:expected:actual:)`` when inner dimensions or
    ///   batch axes disagree, or an operand has rank below 2.
    public func matmul(_ other: Tensor, transposeSelf tA: Bool = false, transposeOther tB: Bool = false) throws -> Tensor {
        guard rank >= 2 else {
            throw TensorError.shapeMismatch(op: "matmul", argument: "self", expected: "rank >= 2", actual: "\(shape)")
        }
        guard other.rank >= 2 else {
            throw TensorError.shapeMismatch(op: "matmul", argument: "other", expected: "rank >= 2", actual: "\(other.shape)")
        }
        let (ra, ca) = (shape[rank - 2], shape[rank - 1])
        let (rb, cb) = (other.shape[other.rank - 2], other.shape[other.rank - 1])
        var m = tA ? ca : ra
        let k = tA ? ra : ca
        let kb = tB ? cb : rb, n = tB ? rb : cb
        guard k == kb else {
            throw TensorError.shapeMismatch(op: "matmul", argument: "other",
                                            expected: "inner dimension \(k)\(tB ? " (transposed)" : "")",
                                            actual: "\(other.shape)")
        }
        let batchA = Array(shape.dropLast(2)), batchB = Array(other.shape.dropLast(2))
        var batch: Int, strideA: Int, strideB: Int, outBatch: [Int]
        if other.rank == 2 && !tA {
            // Shared weight: every row of self goes through one GEMM.
            m = count / Swift.max(k, 1)
            batch = 1; strideA = 0; strideB = 0; outBatch = batchA
            if k == 0 { m = Shape.count(batchA) * ra }
        } else if batchA == batchB {
            batch = Shape.count(batchA); strideA = ra * ca; strideB = rb * cb; outBatch = batchA
        } else if rank == 2 {
            batch = Shape.count(batchB); strideA = 0; strideB = rb * cb; outBatch = batchB
        } else if other.rank == 2 {
            batch = Shape.count(batchA); strideA = ra * ca; strideB = 0; outBatch = batchA
        } else {
            throw TensorError.shapeMismatch(op: "matmul", argument: "other", expected: "batch axes \(batchA) or a 2-D matrix",
                                            actual: "\(other.shape)")
        }
        let rowsOut = tA ? ca : ra
        let outShape = outBatch + [rowsOut, n]
        let a = scalars, b = other.scalars
        let c = Tensor.batchedGemm(a, b, batch: batch, m: m, n: n, k: k, transA: tA, transB: tB,
                                   strideA: strideA, strideB: strideB, strideC: m * n, outCount: batch * m * n)
        let (aShapeCount, bCount) = (count, other.count)
        return Tensor.make("matmul", c, shape: outShape, inputs: [self, other]) { g, needs in
            var grads: [[Float]?] = [nil, nil]
            if needs[0] {
                grads[0] = tA
                    ? Tensor.batchedGemm(b, g, batch: batch, m: k, n: m, k: n, transA: tB, transB: true,
                                         strideA: strideB, strideB: m * n, strideC: strideA, outCount: aShapeCount)
                    : Tensor.batchedGemm(g, b, batch: batch, m: m, n: k, k: n, transA: false, transB: !tB,
                                         strideA: m * n, strideB: strideB, strideC: strideA, outCount: aShapeCount)
            }
            if needs[1] {
                grads[1] = tB
                    ? Tensor.batchedGemm(g, a, batch: batch, m: n, n: k, k: m, transA: true, transB: tA,
                                         strideA: m * n, strideB: strideA, strideC: strideB, outCount: bCount)
                    : Tensor.batchedGemm(a, g, batch: batch, m: k, n: n, k: m, transA: !tA, transB: false,
                                         strideA: strideA, strideB: m * n, strideC: strideB, outCount: bCount)
            }
            return grads
        }
    }

    /// `batch` GEMMs over contiguous matrices at the given element strides; an output stride of 0
    /// accumulates every batch into one matrix (the gradient of a shared operand).
    static func batchedGemm(_ a: [Float], _ b: [Float], batch: Int, m: Int, n: Int, k: Int,
                            transA: Bool, transB: Bool, strideA: Int, strideB: Int, strideC: Int,
                            outCount: Int) -> [Float] {
        // Every element is written by a GEMM with beta = 0 unless the output accumulates (stride 0) or
        // a dimension is empty, so only those cases need zeroed memory.
        guard m > 0, n > 0, k > 0, strideC == m * n, batch * m * n == outCount else {
            return zeroFilledGemm(a, b, batch: batch, m: m, n: n, k: k, transA: transA, transB: transB,
                                  strideA: strideA, strideB: strideB, strideC: strideC, outCount: outCount)
        }
        return [Float](unsafeUninitializedCapacity: outCount) { pc, initialized in
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    guard let ba = pa.baseAddress, let bb = pb.baseAddress, let bc = pc.baseAddress else { return }
                    for i in 0..<batch {
                        BLAS.gemm(ba + i * strideA, bb + i * strideB, bc + i * strideC, m: m, n: n, k: k,
                                  transA: transA, transB: transB)
                    }
                }
            }
            initialized = outCount
        }
    }

    /// ``batchedGemm`` into zeroed memory (accumulating outputs and empty dimensions).
    private static func zeroFilledGemm(_ a: [Float], _ b: [Float], batch: Int, m: Int, n: Int, k: Int,
                                       transA: Bool, transB: Bool, strideA: Int, strideB: Int, strideC: Int,
                                       outCount: Int) -> [Float] {
        var c = [Float](repeating: 0, count: outCount)
        guard m > 0, n > 0, k > 0 else { return c }
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    guard let ba = pa.baseAddress, let bb = pb.baseAddress, let bc = pc.baseAddress else { return }
                    for i in 0..<batch {
                        BLAS.gemm(ba + i * strideA, bb + i * strideB, bc + i * strideC, m: m, n: n, k: k,
                                  transA: transA, transB: transB, beta: strideC == 0 && i > 0 ? 1 : 0)
                    }
                }
            }
        }
        return c
    }
}
