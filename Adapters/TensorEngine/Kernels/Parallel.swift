import COpenBLAS
import CTensorKernels

/// Splits large elementwise, row-wise and GEMM work across the cores the engine is allowed to use
/// (`BLASRuntime.setThreads`). The work runs on CTensorKernels' pool: persistent workers that spin
/// briefly between loops, because waking a parked thread (GCD, or OpenBLAS's own server) cost as much
/// as a whole elementwise op and left the second core idle. OpenBLAS itself always runs one thread;
/// the engine partitions GEMMs over the pool instead, so exactly one set of threads competes for the
/// cores. Each part owns a disjoint output range, so results do not depend on the thread count.
enum Parallel {
    /// Below this many elements (times `costPerItem`) a loop stays on the calling thread.
    static let minimumElements = 1 << 14
    /// The most parts a loop is cut into per thread.
    static let partsPerThread = 4

    /// Takes the thread count from OpenBLAS's initial setting (it honours `OPENBLAS_NUM_THREADS`),
    /// then pins OpenBLAS to one thread; runs once, before the first parallel loop or GEMM.
    static let configured: Void = {
        ctk_set_threads(Int(openblas_get_num_threads()))
        openblas_set_num_threads(1)
    }()

    /// The worker count.
    static var threads: Int {
        configured
        return Swift.max(1, ctk_threads())
    }

    /// One parallel loop: the body and how the range is cut.
    private struct Job {
        let count: Int
        let parts: Int
        let body: (Range<Int>) -> Void
    }

    /// Calls `body(range)` over `0..<count` split into contiguous chunks, concurrently when
    /// `count · costPerItem` is large enough and more than one thread is allowed.
    @inline(__always)
    static func chunks(_ count: Int, costPerItem: Int = 1, threads allowed: Int? = nil, _ body: (Range<Int>) -> Void) {
        let workers = Swift.min(allowed ?? threads, count)
        if workers <= 1 || count * costPerItem < minimumElements {
            body(0..<count)
            return
        }
        // Large loops are cut finer than one part per thread (claimed dynamically), so a worker that
        // the OS runs late costs less; an explicit `threads` (GEMM blocks) keeps one part per thread.
        let parts = allowed != nil ? workers
            : Swift.min(count, workers * partsPerThread, Swift.max(workers, count * costPerItem / minimumElements))
        // The parts write disjoint ranges of buffers the caller keeps alive for the whole call, which
        // returns only after every part has finished.
        withoutActuallyEscaping(body) { escapable in
            var job = Job(count: count, parts: parts, body: escapable)
            withUnsafeMutablePointer(to: &job) { pointer in
                ctk_parallel_for(parts, { context, part in
                    guard let job = context?.assumingMemoryBound(to: Job.self).pointee else { return }
                    job.body((job.count * part / job.parts)..<(job.count * (part + 1) / job.parts))
                }, pointer)
            }
        }
    }

    /// Like ``chunks(_:costPerItem:threads:_:)`` for work items that issue their own GEMMs (those run
    /// on the calling worker: nested parallel loops and GEMM partitions stay serial inside a part).
    static func chunksWithSerialBLAS(_ count: Int, costPerItem: Int, _ body: (Range<Int>) -> Void) {
        chunks(count, costPerItem: costPerItem, body)
    }
}
