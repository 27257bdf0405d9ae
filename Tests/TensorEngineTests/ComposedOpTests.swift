import Foundation
import ProphRLCore
import Testing
@testable import TensorEngine

/// Composed ops: gradients against finite differences, values against independent references.
@Suite struct ComposedOpTests {
    @Test func activationGradients() throws {
        let x = try randn([3, 6], seed: 21, scale: 2)
        try checkGradients([x]) { p in p[0].silu() }
        try checkGradients([x]) { p in p[0].gelu() }
        try checkGradients([x]) { p in p[0].gelu(approximate: true) }
        try checkGradients([x]) { p in try p[0].softmax() }
        try checkGradients([x]) { p in try p[0].logSoftmax() }
        try checkGradients([x]) { p in try p[0].softmax(axis: 0) }
    }

    @Test func normalizationGradients() throws {
        let x = try randn([2, 3, 8], seed: 22, scale: 2)
        let w = try uniform([8], seed: 23, 0.5, 1.5), b = try randn([8], seed: 24)
        try checkGradients([x]) { p in try p[0].layerNorm() }
        try checkGradients([x, w, b]) { p in try p[0].layerNorm(weight: p[1], bias: p[2]) }
        try checkGradients([x]) { p in try p[0].rmsNorm() }
        try checkGradients([x, w]) { p in try p[0].rmsNorm(weight: p[1]) }
    }

    @Test func lossGradients() throws {
        let x = try randn([4, 5], seed: 25), y = try randn([4, 5], seed: 26)
        try checkGradients([x, y]) { p in try p[0].mseLoss(p[1]) }
        try checkGradients([x, y]) { p in try p[0].l1Loss(p[1]) }
        try checkGradients([x]) { p in
            var rng = SeededGenerator(seed: 3)  // the same mask on every evaluation
            return try p[0].dropout(0.3, using: &rng)
        }
    }

    @Test func valuesMatchReferences() throws {
        // Published values: GELU(1) = Φ(1) = 0.8413447, GELU-tanh(1) = 0.8411920, SiLU(1) = 0.7310586.
        let one = Tensor(scalar: 1)
        #expect(abs(try one.gelu().item() - 0.841_344_7) < 1e-6)
        #expect(abs(try one.gelu(approximate: true).item() - 0.841_192_0) < 1e-6)
        #expect(abs(try one.silu().item() - 0.731_058_6) < 1e-6)
        // Softmax of huge logits stays finite and matches the shifted formula.
        let logits = try Tensor([1000, 1001, 1002], shape: [3])
        let s = try logits.softmax().scalars
        let e = [Float(0), 1, 2].map { Foundation.exp($0) }
        let total = e.reduce(0, +)
        #expect(allClose(s, e.map { $0 / total }, rtol: 1e-5, atol: 1e-6))
        #expect(allClose(try logits.logSoftmax().scalars, s.map { Foundation.log($0) }, rtol: 1e-5, atol: 1e-5))
        // LayerNorm rows have mean 0 and variance ≈ 1 (minus the eps effect).
        let x = try randn([4, 16], seed: 27, scale: 3)
        let y = try x.layerNorm(eps: 0).scalars
        for r in 0..<4 {
            let row = y[(r * 16)..<(r * 16 + 16)].map(Double.init)
            let mean = row.reduce(0, +) / 16
            let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 16
            #expect(abs(mean) < 1e-5 && abs(variance - 1) < 1e-4)
        }
    }

    @Test func dropoutIsSeededAndScaled() throws {
        let x = try Tensor.ones([1000])
        var r1 = SeededGenerator(seed: 9), r2 = SeededGenerator(seed: 9)
        let a = try x.dropout(0.25, using: &r1), b = try x.dropout(0.25, using: &r2)
        #expect(a.scalars == b.scalars)
        let kept = a.scalars.filter { $0 != 0 }
        #expect(kept.allSatisfy { abs($0 - 1 / 0.75) < 1e-6 })
        #expect(abs(Double(kept.count) / 1000 - 0.75) < 0.05)
        #expect(throws: TensorError.self) { try x.dropout(1, using: &r1) }
    }
}

