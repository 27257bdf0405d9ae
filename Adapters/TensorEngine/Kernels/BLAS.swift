import COpenBLAS

/// The one entry into OpenBLAS's GEMM: row-major `C = alpha · op(A) · op(B) + beta · C`.
///
/// OpenBLAS runs single-threaded (see ``Parallel``); a large product is cut into row blocks (or
/// column blocks when it has few rows) of whole 16-wide tiles, one per allowed thread, each a
/// single-threaded `cblas_sgemm` on the engine's pool. Blocks are fixed by the thread count, so
/// results are bit-identical run to run at a given count (not across counts: edge tiles may take other
/// micro-kernels). Mixing OpenBLAS's own threads with the pool measured 2–3× slower on the DiT step:
/// OpenBLAS's idle threads spin for ~0.1 s after every GEMM and hold the core the pool needs.
enum BLAS {
    /// Products below this many multiply-adds stay in one call.
    static let minimumParallelWork = 1 << 19

    /// `C[m×n] = alpha · op(A) · op(B) + beta · C`, where `op(A)` is `m×k` and `op(B)` is `k×n`;
    /// `lda`/`ldb`/`ldc` are the row strides of the stored matrices.
    @inline(__always)
    static func gemm(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                     m: Int, n: Int, k: Int, transA: Bool, transB: Bool,
                     lda: Int? = nil, ldb: Int? = nil, ldc: Int? = nil, alpha: Float = 1, beta: Float = 0) {
        let lda = lda ?? (transA ? m : k)
        let ldb = ldb ?? (transB ? k : n)
        let ldc = ldc ?? n
        let threads = Parallel.threads
        guard threads > 1, m * n * k >= minimumParallelWork, Swift.max(m, n) >= 32 else {
            sgemm(a, b, c, m: m, n: n, k: k, transA: transA, transB: transB, lda: lda, ldb: ldb, ldc: ldc, alpha: alpha, beta: beta)
            return
        }
        let splitRows = m >= n || n < 32
        let tiles = ((splitRows ? m : n) + 15) / 16
        let parts = Swift.min(threads, tiles)
        Parallel.chunks(tiles, costPerItem: Parallel.minimumElements, threads: parts) { range in
            let start = range.lowerBound * 16, end = Swift.min(range.upperBound * 16, splitRows ? m : n)
            if start >= end { return }
            if splitRows {
                sgemm(a + (transA ? start : start * lda), b, c + start * ldc, m: end - start, n: n, k: k,
                      transA: transA, transB: transB, lda: lda, ldb: ldb, ldc: ldc, alpha: alpha, beta: beta)
            } else {
                sgemm(a, b + (transB ? start * ldb : start), c + start, m: m, n: end - start, k: k,
                      transA: transA, transB: transB, lda: lda, ldb: ldb, ldc: ldc, alpha: alpha, beta: beta)
            }
        }
    }

    @inline(__always)
    private static func sgemm(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                              m: Int, n: Int, k: Int, transA: Bool, transB: Bool,
                              lda: Int, ldb: Int, ldc: Int, alpha: Float, beta: Float) {
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    blasint(m), blasint(n), blasint(k), alpha, a, blasint(Swift.max(lda, 1)),
                    b, blasint(Swift.max(ldb, 1)), beta, c, blasint(Swift.max(ldc, 1)))
    }
}
