import COpenBLAS

/// The one entry into OpenBLAS's GEMM: row-major `C = alpha · op(A) · op(B) + beta · C`.
enum BLAS {
    /// `C[m×n] = alpha · op(A) · op(B) + beta · C`, where `op(A)` is `m×k` and `op(B)` is `k×n`;
    /// `lda`/`ldb`/`ldc` are the row strides of the stored matrices.
    @inline(__always)
    static func gemm(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                     m: Int, n: Int, k: Int, transA: Bool, transB: Bool,
                     lda: Int? = nil, ldb: Int? = nil, ldc: Int? = nil, alpha: Float = 1, beta: Float = 0) {
        let lda = lda ?? (transA ? m : k)
        let ldb = ldb ?? (transB ? k : n)
        let ldc = ldc ?? n
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    blasint(m), blasint(n), blasint(k), alpha, a, blasint(Swift.max(lda, 1)),
                    b, blasint(Swift.max(ldb, 1)), beta, c, blasint(Swift.max(ldc, 1)))
    }
}
