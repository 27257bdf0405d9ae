import CTensorKernels
import Foundation

// Fused scaled-dot-product attention. Tensors stay in the projection layout [B, T, H, D] (heads
// interleaved in the last two axes), and GEMMs read one head through the row stride H·D, so no
// permuted copies are made. Forward and backward each hold one head's T×S score matrix at a time;
// the backward recomputes probabilities from the saved row log-sum-exps (flash-attention style).

extension Tensor {
    /// Multi-head attention `softmax(scale · Q·Kᵀ + mask) · V` per batch and head.
    ///
    /// - Parameters:
    ///   - query: `[B, T, H, D]`.
    ///   - key: `[B, S, H, D]`; memory keys, when used, come first (see
    ///     ``attention(query:key:value:memoryKey:memoryValue:mask:scale:)``).
    ///   - value: `[B, S, H, D]`.
    ///   - mask: optional additive `[T, S]` mask (`-infinity` hides a key; a fully hidden row gives NaN).
    ///   - scale: defaults to `1/√D`.
    /// - Returns: `[B, T, H, D]`.
    /// - Throws: ``TensorError`` when the shapes disagree.
    public static func attention(query: Tensor, key: Tensor, value: Tensor, mask: Tensor? = nil,
                                 scale: Float? = nil) throws -> Tensor {
        guard query.rank == 4 else {
            throw TensorError.shapeMismatch(op: "attention", argument: "query", expected: "[B, T, H, D]", actual: "\(query.shape)")
        }
        let (b, t, h, d) = (query.shape[0], query.shape[1], query.shape[2], query.shape[3])
        guard key.rank == 4, key.shape[0] == b, key.shape[2] == h, key.shape[3] == d else {
            throw TensorError.shapeMismatch(op: "attention", argument: "key", expected: "[\(b), S, \(h), \(d)]", actual: "\(key.shape)")
        }
        let s = key.shape[1]
        guard value.shape == key.shape else {
            throw TensorError.shapeMismatch(op: "attention", argument: "value", expected: "\(key.shape)", actual: "\(value.shape)")
        }
        if let mask, mask.shape != [t, s] {
            throw TensorError.shapeMismatch(op: "attention", argument: "mask", expected: "[\(t), \(s)]", actual: "\(mask.shape)")
        }
        let kernel = AttentionKernel(batch: b, queries: t, keys: s, heads: h, headDim: d,
                                     scale: scale ?? 1 / Float(d).squareRoot(), mask: mask?.scalars)
        let (out, logSumExp) = kernel.forward(query.scalars, key.scalars, value.scalars)
        let (q, k, v) = (query.scalars, key.scalars, value.scalars)
        return make("attention", out, shape: query.shape, inputs: [query, key, value]) { g, _ in
            let (dq, dk, dv) = kernel.backward(q, k, v, out, logSumExp, g)
            return [dq, dk, dv]
        }
    }

    /// Attention whose keys and values are `memoryKey`/`memoryValue` (`[B, M, H, D]`) prepended to
    /// `key`/`value` (`[B, T, H, D]`); queries come from the main sequence only, so the result is
    /// `[B, T, H, D]`. A mask, if given, is `[T, M + T]`.
    /// - Throws: ``TensorError`` when the shapes disagree.
    public static func attention(query: Tensor, key: Tensor, value: Tensor, memoryKey: Tensor, memoryValue: Tensor,
                                 mask: Tensor? = nil, scale: Float? = nil) throws -> Tensor {
        try attention(query: query, key: concat([memoryKey, key], axis: 1), value: concat([memoryValue, value], axis: 1),
                      mask: mask, scale: scale)
    }
}

/// The per-head loops of fused attention on raw buffers (layout `[B, T, H, D]`).
struct AttentionKernel: Sendable {
    let batch: Int, queries: Int, keys: Int, heads: Int, headDim: Int
    let scale: Float
    let mask: [Float]?

    private var rowStride: Int { heads * headDim }

    /// Output `[B, T, H, D]` and the row log-sum-exps `[B, H, T]` for the backward pass. The (batch,
    /// head) pairs are split across the allowed cores, each worker with its own score matrix.
    func forward(_ q: [Float], _ k: [Float], _ v: [Float]) -> ([Float], [Float]) {
        var out = [Float](repeating: 0, count: batch * queries * rowStride)
        var lse = [Float](repeating: 0, count: batch * heads * queries)
        guard queries > 0, keys > 0, headDim > 0 else { return (out, lse) }
        q.withUnsafeBufferPointer { pq in k.withUnsafeBufferPointer { pk in v.withUnsafeBufferPointer { pv in
        out.withUnsafeMutableBufferPointer { po in lse.withUnsafeMutableBufferPointer { pl in
            guard let q0 = pq.baseAddress, let k0 = pk.baseAddress, let v0 = pv.baseAddress,
                  let o0 = po.baseAddress, let l0 = pl.baseAddress else { return }
            Parallel.chunksWithSerialBLAS(batch * heads, costPerItem: queries * keys * headDim) { pairs in
                let s0 = UnsafeMutablePointer<Float>.allocate(capacity: queries * keys)
                defer { s0.deallocate() }
                for pair in pairs {
                    let (bi, hi) = (pair / heads, pair % heads)
                    let qOff = bi * queries * rowStride + hi * headDim, kOff = bi * keys * rowStride + hi * headDim
                    BLAS.gemm(q0 + qOff, k0 + kOff, s0, m: queries, n: keys, k: headDim, transA: false, transB: true,
                              lda: rowStride, ldb: rowStride, ldc: keys, alpha: scale)
                    for r in 0..<queries { l0[pair * queries + r] = softmaxRow(s0 + r * keys, row: r) }
                    BLAS.gemm(s0, v0 + kOff, o0 + qOff, m: queries, n: headDim, k: keys, transA: false, transB: false,
                              lda: keys, ldb: rowStride, ldc: rowStride)
                }
            }
        }}}}}
        return (out, lse)
    }

    /// Adds the mask, replaces the row by its softmax and returns its log-sum-exp.
    private func softmaxRow(_ row: UnsafeMutablePointer<Float>, row r: Int) -> Float {
        if let mask { for j in 0..<keys { row[j] += mask[r * keys + j] } }
        let m = Kernels.maximum(row, count: keys)
        let sum = Kernels.expShiftInPlace(row, count: keys, shift: m)
        ctk_scale(row, keys, 1 / sum)
        return m + Foundation.log(sum)
    }

    /// Gradients of query, key and value given the output gradient `g` (pairs split across cores).
    func backward(_ q: [Float], _ k: [Float], _ v: [Float], _ out: [Float], _ lse: [Float], _ g: [Float])
        -> ([Float], [Float], [Float]) {
        var dq = [Float](repeating: 0, count: q.count), dk = [Float](repeating: 0, count: k.count)
        var dv = [Float](repeating: 0, count: v.count)
        guard queries > 0, keys > 0, headDim > 0 else { return (dq, dk, dv) }
        q.withUnsafeBufferPointer { pq in k.withUnsafeBufferPointer { pk in v.withUnsafeBufferPointer { pv in
        g.withUnsafeBufferPointer { pg in out.withUnsafeBufferPointer { pout in lse.withUnsafeBufferPointer { pl in
        dq.withUnsafeMutableBufferPointer { pdq in dk.withUnsafeMutableBufferPointer { pdk in dv.withUnsafeMutableBufferPointer { pdv in
            guard let q0 = pq.baseAddress, let k0 = pk.baseAddress, let v0 = pv.baseAddress, let g0 = pg.baseAddress,
                  let out0 = pout.baseAddress, let l0 = pl.baseAddress,
                  let dq0 = pdq.baseAddress, let dk0 = pdk.baseAddress, let dv0 = pdv.baseAddress else { return }
            Parallel.chunksWithSerialBLAS(batch * heads, costPerItem: 2 * queries * keys * headDim) { pairs in
                let p0 = UnsafeMutablePointer<Float>.allocate(capacity: queries * keys)
                let dp0 = UnsafeMutablePointer<Float>.allocate(capacity: queries * keys)
                let rowDot = UnsafeMutablePointer<Float>.allocate(capacity: queries)
                defer { p0.deallocate(); dp0.deallocate(); rowDot.deallocate() }
                for pair in pairs {
                    let (bi, hi) = (pair / heads, pair % heads)
                    let qOff = bi * queries * rowStride + hi * headDim, kOff = bi * keys * rowStride + hi * headDim
                    // Recompute P = exp(scale·QKᵀ + mask − lse).
                    BLAS.gemm(q0 + qOff, k0 + kOff, p0, m: queries, n: keys, k: headDim, transA: false, transB: true,
                              lda: rowStride, ldb: rowStride, ldc: keys, alpha: scale)
                    for r in 0..<queries {
                        let row = p0 + r * keys
                        if let mask { for j in 0..<keys { row[j] += mask[r * keys + j] } }
                        _ = Kernels.expShiftInPlace(row, count: keys, shift: l0[pair * queries + r])
                        // rowDot = Σ_d dO·O, the softmax backward's correction term.
                        var dot: Float = 0
                        for c in 0..<headDim { dot += g0[qOff + r * rowStride + c] * out0[qOff + r * rowStride + c] }
                        rowDot[r] = dot
                    }
                    // dV = Pᵀ·dO ; dP = dO·Vᵀ
                    BLAS.gemm(p0, g0 + qOff, dv0 + kOff, m: keys, n: headDim, k: queries, transA: true, transB: false,
                              lda: keys, ldb: rowStride, ldc: rowStride)
                    BLAS.gemm(g0 + qOff, v0 + kOff, dp0, m: queries, n: keys, k: headDim, transA: false, transB: true,
                              lda: rowStride, ldb: rowStride, ldc: keys)
                    // dS = P ⊙ (dP − rowDot), stored over dP.
                    for r in 0..<queries {
                        let p = p0 + r * keys, dp = dp0 + r * keys, c = rowDot[r]
                        for j in 0..<keys { dp[j] = p[j] * (dp[j] - c) }
                    }
                    // dQ = scale·dS·K ; dK = scale·dSᵀ·Q
                    BLAS.gemm(dp0, k0 + kOff, dq0 + qOff, m: queries, n: headDim, k: keys, transA: false, transB: false,
                              lda: keys, ldb: rowStride, ldc: rowStride, alpha: scale)
                    BLAS.gemm(dp0, q0 + qOff, dk0 + kOff, m: keys, n: headDim, k: queries, transA: true, transB: false,
                              lda: keys, ldb: rowStride, ldc: rowStride, alpha: scale)
                }
            }
        }}}}}}}}}
        return (dq, dk, dv)
    }
}
