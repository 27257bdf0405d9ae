import COpenBLAS
import Dispatch

/// Splits large elementwise and row-wise work across the cores the engine is allowed to use (the BLAS
/// thread count, so one setting governs both). Each worker owns a disjoint output range, so results
/// do not depend on the thread count.
enum Parallel {
    /// Below this many elements a loop stays on the calling thread (dispatch costs more than it saves).
    static let minimumElements = 1 << 15

    /// The worker count: the BLAS thread setting.
    static var threads: Int { Swift.max(1, Int(openblas_get_num_threads())) }

    /// Calls `body(range)` over `0..<count` split into contiguous chunks, concurrently when
    /// `count · costPerItem` is large enough and more than one thread is allowed.
    @inline(__always)
    static func chunks(_ count: Int, costPerItem: Int = 1, threads allowed: Int? = nil, _ body: (Range<Int>) -> Void) {
        let workers = Swift.min(allowed ?? threads, count)
        if workers <= 1 || count * costPerItem < minimumElements {
            body(0..<count)
            return
        }
        // The workers write disjoint ranges of buffers the caller keeps alive for the whole call,
        // so sharing the non-Sendable body across them is safe.
        withoutActuallyEscaping(body) { escapable in
            nonisolated(unsafe) let work = escapable
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                let start = count * w / workers, end = count * (w + 1) / workers
                work(start..<end)
            }
        }
    }

    /// Like ``chunks(_:costPerItem:threads:_:)`` for work items that issue their own GEMMs: when the
    /// items run in parallel, OpenBLAS is limited to one thread meanwhile (the workers already use every
    /// allowed core), then restored.
    static func chunksWithSerialBLAS(_ count: Int, costPerItem: Int, _ body: (Range<Int>) -> Void) {
        let saved = threads
        let workers = Swift.min(saved, count)
        if workers <= 1 || count * costPerItem < minimumElements {
            body(0..<count)
            return
        }
        openblas_set_num_threads(1)
        defer { openblas_set_num_threads(Int32(saved)) }
        chunks(count, costPerItem: costPerItem, threads: workers, body)
    }
}
