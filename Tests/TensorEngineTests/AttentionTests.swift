import Foundation
import Testing
@testable import TensorEngine

/// Fused attention against a naive Double loop and finite differences; RoPE properties.
@Suite struct AttentionTests {
    /// Naive attention in Double over [B, T, H, D] query and [B, S, H, D] key/value.
    static func naive(_ q: Tensor, _ k: Tensor, _ v: Tensor, mask: Tensor?) -> [Float] {
        let (b, t, h, d) = (q.shape[0], q.shape[1], q.shape[2], q.shape[3]), s = k.shape[1]
        var out = [Float](repeating: 0, count: q.count)
        for bi in 0..<b {
            for hi in 0..<h {
                for i in 0..<t {
                    var logits = [Double](repeating: 0, count: s)
                    for j in 0..<s {
                        var dot = 0.0
                        for c in 0..<d {
                            dot += Double(q.scalars[((bi * t + i) * h + hi) * d + c]) * Double(k.scalars[((bi * s + j) * h + hi) * d + c])
                        }
                        logits[j] = dot / Double(d).squareRoot() + Double(mask?.scalars[i * s + j] ?? 0)
                    }
                    let m = logits.max() ?? 0
                    let weights = logits.map { exp($0 - m) }
                    let total = weights.reduce(0, +)
                    for c in 0..<d {
                        var acc = 0.0
                        for j in 0..<s { acc += weights[j] / total * Double(v.scalars[((bi * s + j) * h + hi) * d + c]) }
                        out[((bi * t + i) * h + hi) * d + c] = Float(acc)
                    }
                }
            }
        }
        return out
    }

    @Test func fusedForwardMatchesNaiveLoopWithMemoryAndMask() throws {
        let q = try randn([2, 5, 3, 4], seed: 1), k = try randn([2, 5, 3, 4], seed: 2), v = try randn([2, 5, 3, 4], seed: 3)
        let mk = try randn([2, 2, 3, 4], seed: 4), mv = try randn([2, 2, 3, 4], seed: 5)
        // Causal over the main sequence, memory always visible.
        var maskValues = [Float](repeating: 0, count: 5 * 7)
        for i in 0..<5 { for j in 0..<5 where j > i { maskValues[i * 7 + 2 + j] = -.infinity } }
        let mask = try Tensor(maskValues, shape: [5, 7])
        let fused = try Tensor.attention(query: q, key: k, value: v, memoryKey: mk, memoryValue: mv, mask: mask)
        let expected = Self.naive(q, try Tensor.concat([mk, k], axis: 1), try Tensor.concat([mv, v], axis: 1), mask: mask)
        #expect(fused.shape == [2, 5, 3, 4])
        #expect(allClose(fused.scalars, expected, rtol: 1e-4, atol: 1e-5))
    }

    @Test func fusedGradientsMatchFiniteDifferences() throws {
        let q = try randn([1, 3, 2, 4], seed: 6), k = try randn([1, 3, 2, 4], seed: 7), v = try randn([1, 3, 2, 4], seed: 8)
        let mk = try randn([1, 2, 2, 4], seed: 9), mv = try randn([1, 2, 2, 4], seed: 10)
        try checkGradients([q, k, v, mk, mv]) { p in
            try Tensor.attention(query: p[0], key: p[1], value: p[2], memoryKey: p[3], memoryValue: p[4])
        }
        let mask = try Tensor([0, -1, -.infinity, 0, 0, 0.5, -2, 0, 0], shape: [3, 3])
        try checkGradients([q, k, v]) { p in try Tensor.attention(query: p[0], key: p[1], value: p[2], mask: mask) }
    }

    @Test func qkRMSNormAndRoPEGradients() throws {
        let q = try randn([1, 4, 2, 6], seed: 11), k = try randn([1, 4, 2, 6], seed: 12), v = try randn([1, 4, 2, 6], seed: 13)
        let rope = try RoPE.sequence(tokens: 4, headDim: 6)
        try checkGradients([q, k, v]) { p in
            try Tensor.attention(query: rope.apply(p[0].rmsNorm()), key: rope.apply(p[1].rmsNorm()), value: p[2])
        }
        let grid = try RoPE.grid3D(frames: 2, height: 1, width: 2, headDim: 6)
        try checkGradients([q]) { p in try grid.apply(p[0]) }
    }

    @Test func ropeIsARelativeRotation() throws {
        // Rotations preserve norms, and q·k after RoPE depends only on the position difference.
        let rope = try RoPE.sequence(tokens: 6, headDim: 8)
        let vecQ = try randn([8], seed: 14), vecK = try randn([8], seed: 15)
        func placed(_ vec: Tensor, at position: Int) throws -> [Float] {
            var values = [Float](repeating: 0, count: 6 * 8)
            for c in 0..<8 { values[position * 8 + c] = vec.scalars[c] }
            let rotated = try rope.apply(Tensor(values, shape: [1, 6, 1, 8])).scalars
            return Array(rotated[(position * 8)..<(position * 8 + 8)])
        }
        func dot(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).map(*).reduce(0, +) }
        let a = dot(try placed(vecQ, at: 3), try placed(vecK, at: 1)), b = dot(try placed(vecQ, at: 5), try placed(vecK, at: 3))
        #expect(abs(a - b) < 1e-4)
        let r = try placed(vecQ, at: 4)
        #expect(abs(dot(r, r) - dot(vecQ.scalars, vecQ.scalars)) < 1e-4)
        #expect(throws: TensorError.self) { try rope.apply(Tensor.zeros([1, 5, 1, 8])) }
        #expect(throws: TensorError.self) { try RoPE.sequence(tokens: 3, headDim: 7) }
    }

    @Test func attentionShapeErrors() throws {
        let q = try Tensor.zeros([1, 3, 2, 4])
        #expect(throws: TensorError.self) { try Tensor.attention(query: q, key: Tensor.zeros([1, 3, 2, 5]), value: Tensor.zeros([1, 3, 2, 5])) }
        #expect(throws: TensorError.self) { try Tensor.attention(query: q, key: q, value: q, mask: Tensor.zeros([3, 4])) }
    }
}

/// RoPE at arbitrary (fractional, negative) 3-D positions, as pooled memory tokens use.
@Suite("RoPE at arbitrary 3-D positions")
struct RoPEPositionTests {
    @Test func integerPositionsMatchTheGrid() throws {
        var positions: [[Double]] = []
        for f in 0..<2 { for y in 0..<3 { for x in 0..<2 { positions.append([Double(f), Double(y), Double(x)]) } } }
        let x = try randn([2, 12, 2, 12], seed: 31)
        let grid = try RoPE.grid3D(frames: 2, height: 3, width: 2, headDim: 12).apply(x)
        let free = try RoPE.positions3D(positions, headDim: 12).apply(x)
        #expect(grid.scalars == free.scalars)
        #expect(throws: TensorError.self) { try RoPE.positions3D([[0, 1]], headDim: 12) }
    }

    @Test func fractionalPositionsKeepScoresRelative() throws {
        // q·k depends only on the 3-D offset, also for fractional and negative positions.
        let vecQ = try randn([12], seed: 32).scalars, vecK = try randn([12], seed: 33).scalars
        func score(_ p: [Double], _ r: [Double]) throws -> Float {
            let rope = try RoPE.positions3D([p, r], headDim: 12)
            let out = try rope.apply(Tensor(vecQ + vecK, shape: [1, 2, 1, 12])).scalars
            return zip(out[0..<12], out[12..<24]).map(*).reduce(0, +)
        }
        let a = try score([0, 1, 2], [-13.5, 1.5, 1.5]), b = try score([3.25, -2, 0.5], [-10.25, -1.5, 0])
        #expect(abs(a - b) < 1e-4)
        let c = try score([0, 1, 2], [-12.5, 1.5, 1.5])
        #expect(abs(a - c) > 1e-4, "another offset gives another score")
    }
}
