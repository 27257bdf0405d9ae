import COpenBLAS
import ProphRLCore
import TensorEngine

/// Large-GEMM throughput: the engine's `matmul` against a raw `cblas_sgemm` on the same buffers.
enum GEMMBench {
    static func run(size n: Int, repeats: Int) throws -> [BenchResult] {
        let a = try Tensor.normal([n, n], seed: 1), b = try Tensor.normal([n, n], seed: 2)
        var c = [Float](repeating: 0, count: n * n)
        let flops = 2 * Double(n) * Double(n) * Double(n)
        // The engine keeps OpenBLAS at one thread and partitions GEMMs itself; raw sgemm gets
        // OpenBLAS's own threading at the same thread count for the comparison. The engine runs first:
        // OpenBLAS's idle threads spin for ~0.1 s after its last threaded call and would take the core
        // the engine's workers need (main.swift runs this workload last for the same reason).
        let engine = try Timing.milliseconds(repeats: repeats) { _ = try noGrad { try a.matmul(b) } }
        openblas_set_num_threads(Int32(BLASRuntime.threads))
        let raw = Timing.milliseconds(repeats: repeats) {
            a.scalars.withUnsafeBufferPointer { pa in
                b.scalars.withUnsafeBufferPointer { pb in
                    c.withUnsafeMutableBufferPointer { pc in
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, blasint(n), blasint(n), blasint(n), 1,
                                    pa.baseAddress, blasint(n), pb.baseAddress, blasint(n), 0, pc.baseAddress, blasint(n))
                    }
                }
            }
        }
        openblas_set_num_threads(1)
        let rawGFLOPS = flops / raw.best / 1e6, engineGFLOPS = flops / engine.best / 1e6
        return [
            BenchResult(workload: "gemm-\(n)", phase: "raw-sgemm", raw, extra: ["gflops": rawGFLOPS]),
            BenchResult(workload: "gemm-\(n)", phase: "engine-matmul", engine,
                        extra: ["gflops": engineGFLOPS, "fraction_of_raw": engineGFLOPS / rawGFLOPS]),
        ]
    }
}
