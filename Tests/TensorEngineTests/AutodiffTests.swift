import Testing
@testable import TensorEngine

/// The tape itself: accumulation, noGrad, detach, shared subexpressions, typed errors.
@Suite struct AutodiffTests {
    @Test func gradientsAccumulateAcrossBackwardCalls() throws {
        let w = try Tensor([1, 2, 3], shape: [3]).requiringGrad()
        let x = try Tensor([4, 5, 6], shape: [3])
        try (w * x).sum().backward()
        #expect(w.grad?.scalars == [4, 5, 6])
        try (w * x).sum().backward()
        #expect(w.grad?.scalars == [8, 10, 12])
        w.node?.zeroGrad()
        #expect(w.grad == nil)
    }

    @Test func sharedSubexpressionGetsBothPaths() throws {
        // f(x) = x·x + x  ⇒  f'(x) = 2x + 1, reached through three uses of x.
        let (_, g) = try valueAndGrad(at: [Tensor(scalar: 3)]) { p in try (p[0] * p[0] + p[0]).sum() }
        #expect(g[0].scalars == [7])
    }

    @Test func noGradAndDetachCutTheGraph() throws {
        let w = try Tensor([2], shape: [1]).requiringGrad()
        let y = try noGrad { try w * w }
        #expect(y.node == nil)
        let z = try (w.detached() * w).sum()
        try z.backward()
        #expect(w.grad?.scalars == [2])  // only the non-detached factor contributes
    }

    @Test func shapeErrorsAreTyped() throws {
        let a = try Tensor.zeros([2, 3]), b = try Tensor.zeros([4, 5])
        #expect(throws: TensorError.self) { try a + b }
        #expect(throws: TensorError.self) { try a.matmul(b) }
        #expect(throws: TensorError.self) { try a.reshaped([4, 2]) }
        #expect(throws: TensorError.self) { try a.sum(axis: 2) }
        #expect(throws: TensorError.self) { try Tensor([1, 2, 3], shape: [2, 2]) }
        #expect(throws: TensorError.self) { try Tensor.zeros([-1]) }
        #expect(throws: TensorError.self) { try a.gather([0, 2]) }
        #expect(throws: TensorError.self) { try a.slice(axis: 1, 2..<4) }
        do {
            _ = try a.matmul(b)
        } catch let error as TensorError {
            #expect(error.description.contains("matmul") && error.description.contains("[4, 5]"))
        }
    }

    @Test func matmulMatchesNaiveLoop() throws {
        let a = try randn([2, 3, 5], seed: 31), b = try randn([2, 5, 4], seed: 32)
        let c = try a.matmul(b)
        var expected = [Float](repeating: 0, count: 2 * 3 * 4)
        for batch in 0..<2 {
            for i in 0..<3 {
                for j in 0..<4 {
                    var s: Double = 0
                    for k in 0..<5 { s += Double(a.scalars[batch * 15 + i * 5 + k]) * Double(b.scalars[batch * 20 + k * 4 + j]) }
                    expected[batch * 12 + i * 4 + j] = Float(s)
                }
            }
        }
        #expect(c.shape == [2, 3, 4])
        #expect(allClose(c.scalars, expected, rtol: 1e-5, atol: 1e-5))
    }

    @Test func creationIsSeeded() throws {
        #expect(try Tensor.normal([5], seed: 1).scalars == Tensor.normal([5], seed: 1).scalars)
        #expect(try Tensor.normal([5], seed: 1).scalars != Tensor.normal([5], seed: 2).scalars)
        #expect(try Tensor.arange(0, 5, step: 2).scalars == [0, 2, 4])
        #expect(try Tensor.uniform([100], low: -1, high: 1, seed: 3).scalars.allSatisfy { $0 >= -1 && $0 < 1 })
        // Normal samples: moments and the one-sigma mass within 4 standard errors (n = 40 001, odd).
        let z = try Tensor.normal([40_001], mean: 2, std: 3, seed: 4).scalars.map { (Double($0) - 2) / 3 }
        let mean = z.reduce(0, +) / Double(z.count)
        let variance = z.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(z.count)
        let inside = Double(z.filter { abs($0) < 1 }.count) / Double(z.count)
        #expect(abs(mean) < 4 * (1 / 40_001.0).squareRoot())
        #expect(abs(variance - 1) < 4 * (2 / 40_001.0).squareRoot())
        #expect(abs(inside - 0.682_689) < 4 * (0.2166 / 40_001.0).squareRoot())
    }
}
