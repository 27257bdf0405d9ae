import CTensorKernels
import Foundation
import Testing
@testable import TensorEngine

/// CTensorKernels: every instruction-set variant against Double references, the worker pool's
/// bookkeeping, and partitioned GEMMs against a naive product.
@Suite(.serialized) struct NativeKernelTests {
    /// The variants this CPU can run (the dispatcher falls back when a forced width is unsupported).
    static var widths: [Int32] { [0, 256, 512].filter { $0 <= ctk_vector_width_bits() } }

    static func withWidth(_ bits: Int32, _ body: () throws -> Void) rethrows {
        ctk_force_vector_width_bits(bits)
        defer { ctk_force_vector_width_bits(-1) }
        try body()
    }

    static let inputs: [Float] = stride(from: -12.0, through: 12.0, by: 0.0173).map { Float($0) } + [0, 1e-6, -3e-5, 30, -30]

    @Test func geluTanhMatchesReferenceAtEveryWidth() throws {
        let x = Self.inputs, g = x.map { 0.5 + 0.25 * $0.magnitude.squareRoot() }
        for bits in Self.widths {
            var y = [Float](repeating: 0, count: x.count), dx = y
            Self.withWidth(bits) {
                ctk_gelu_tanh_forward(x, &y, x.count)
                ctk_gelu_tanh_backward(x, g, &dx, x.count)
            }
            for i in x.indices {
                let v = Double(x[i]), u = 0.797_884_560_802_865 * (v + 0.044715 * v * v * v)
                let t = Foundation.tanh(u)
                let reference = 0.5 * v * (1 + t)
                let derivative = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * 0.797_884_560_802_865 * (1 + 3 * 0.044715 * v * v)
                #expect(abs(Double(y[i]) - reference) <= 1e-6 * (1 + abs(reference)), "width \(bits): gelu(\(v)) = \(y[i]), reference \(reference)")
                #expect(abs(Double(dx[i]) - Double(g[i]) * derivative) <= 2e-6 * (1 + abs(derivative)), "width \(bits): gelu'(\(v))")
            }
        }
    }

    @Test func softmaxAndNormRowsMatchReferenceAtEveryWidth() throws {
        for n in [1, 7, 16, 37, 320] {
            let row = try randn([n], seed: UInt64(n), scale: 3).scalars
            let g = try randn([n], seed: UInt64(n + 100)).scalars
            let maximum = row.max() ?? 0
            let expSum = row.reduce(0.0) { $0 + Foundation.exp(Double($1 - maximum)) }
            let mean = row.reduce(0.0) { $0 + Double($1) } / Double(n)
            let variance = row.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(n)
            let inv = 1 / (variance + 1e-5).squareRoot()
            for bits in Self.widths {
                Self.withWidth(bits) {
                    #expect(ctk_row_max(row, n) == maximum)
                    var shifted = row
                    let sum = ctk_exp_shift_sum(&shifted, n, maximum)
                    #expect(abs(Double(sum) - expSum) <= 1e-5 * expSum, "width \(bits), n \(n)")
                    for j in 0..<n { #expect(abs(Double(shifted[j]) - Foundation.exp(Double(row[j] - maximum))) <= 1e-6) }
                    var y = [Float](repeating: 0, count: n), dx = y
                    let got = ctk_norm_row_forward(row, &y, n, 1, 1e-5)
                    #expect(abs(Double(got) - inv) <= 1e-5 * inv)
                    for j in 0..<n { #expect(abs(Double(y[j]) - (Double(row[j]) - mean) * inv) <= 1e-5) }
                    // Backward: dx = (g − mean(g) − x̂·mean(g·x̂)) · inv.
                    ctk_norm_row_backward(g, y, &dx, n, 1, got)
                    let meanG = g.reduce(0.0) { $0 + Double($1) } / Double(n)
                    let meanGX = zip(g, y).reduce(0.0) { $0 + Double($1.0) * Double($1.1) } / Double(n)
                    for j in 0..<n {
                        let reference = (Double(g[j]) - meanG - Double(y[j]) * meanGX) * Double(got)
                        #expect(abs(Double(dx[j]) - reference) <= 1e-4 * (1 + abs(reference)))
                    }
                }
            }
        }
    }

    @Test func poolRunsEveryPartOnceAndNestsSerially() throws {
        let original = BLASRuntime.threads
        defer { try? BLASRuntime.setThreads(original) }
        try BLASRuntime.setThreads(2)
        for count in [2, 3, 64, 1000] {
            let hits = UnsafeMutableBufferPointer<Int>.allocate(capacity: count)
            hits.initialize(repeating: 0)
            defer { hits.deallocate() }
            Parallel.chunks(count, costPerItem: Parallel.minimumElements) { range in
                for i in range { hits[i] += 1 }   // parts own disjoint ranges
                // A nested loop inside a part runs on that thread and still covers its range.
                var inner = 0
                Parallel.chunks(10, costPerItem: Parallel.minimumElements) { r in inner += r.count }
                #expect(inner == 10)
            }
            #expect(hits.allSatisfy { $0 == 1 })
        }
    }

    @Test func partitionedGemmMatchesNaiveAndRepeats() throws {
        let original = BLASRuntime.threads
        defer { try? BLASRuntime.setThreads(original) }
        // Tall (row blocks), wide (column blocks), transposed operands, a non-multiple-of-16 split.
        for (m, n, k, tA, tB) in [(301, 40, 70, false, false), (20, 530, 64, false, true), (130, 257, 33, true, true)] {
            let a = try randn(tA ? [k, m] : [m, k], seed: 1), b = try randn(tB ? [n, k] : [k, n], seed: 2)
            func run() throws -> [Float] { try a.matmul(b, transposeSelf: tA, transposeOther: tB).scalars }
            try BLASRuntime.setThreads(1)
            let serial = try run()
            try BLASRuntime.setThreads(2)
            let parallel = try run()
            // Blocks may use different edge micro-kernels than one call, so only close to serial, but
            // the same bits on every run at a fixed thread count (deterministic mode).
            let repeatable = try run() == parallel
            #expect(repeatable, "m \(m) n \(n) k \(k)")
            #expect(allClose(parallel, serial, rtol: 1e-5, atol: 1e-5), "m \(m) n \(n) k \(k)")
            var worst = 0.0
            for i in 0..<m { for j in 0..<n {
                var s = 0.0
                for p in 0..<k {
                    s += Double(a.scalars[tA ? p * m + i : i * k + p]) * Double(b.scalars[tB ? j * k + p : p * n + j])
                }
                worst = max(worst, abs(s - Double(parallel[i * n + j])))
            }}
            #expect(worst < 1e-3)
        }
    }
}
