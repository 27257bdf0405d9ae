import ProphRLCore
import ProphRLTesting
import Testing
@testable import TensorEngine

/// Checks reverse-mode gradients of `f` against central finite differences.
///
/// The scalar probed is `L = Σ f(x) ⊙ R` with fixed random weights `R` (so every output element
/// matters), summed in Double. The engine computes in Float32, so the differences use `h = 1e-2`:
/// the truncation error is O(h²·f''') ≈ 1e-4 relative and the rounding error about
/// `ε_f32 · |L| / h` ≈ 1e-5 · |L|, well inside `rtol = 1e-2, atol = 2e-3`.
func checkGradients(_ inputs: [Tensor], seed: UInt64 = 7, h: Float = 1e-2, rtol: Double = 1e-2, atol: Double = 2e-3,
                    sourceLocation: SourceLocation = #_sourceLocation,
                    _ f: ([Tensor]) throws -> Tensor) throws {
    let probe = try noGrad { try f(inputs) }
    let weights = try Tensor.normal(probe.shape, seed: seed)
    let (_, grads) = try valueAndGrad(at: inputs) { p in try (f(p) * weights).sum() }
    func objective(_ p: [Tensor]) throws -> Double {
        let y = try noGrad { try f(p) }
        var total = 0.0
        for i in 0..<y.count { total += Double(y.scalars[i]) * Double(weights.scalars[i]) }
        return total
    }
    for (index, input) in inputs.enumerated() {
        var numeric = [Double](repeating: 0, count: input.count)
        for j in 0..<input.count {
            var plus = input.scalars, minus = input.scalars
            plus[j] += h
            minus[j] -= h
            var p = inputs, m = inputs
            p[index] = try Tensor(plus, shape: input.shape)
            m[index] = try Tensor(minus, shape: input.shape)
            numeric[j] = (try objective(p) - objective(m)) / (2 * Double(h))
        }
        let analytic = grads[index].scalars.map(Double.init)
        #expect(grads[index].shape == input.shape, sourceLocation: sourceLocation)
        if let bad = Tolerance.firstMismatch(analytic, numeric, rtol: rtol, atol: atol) {
            Issue.record("input \(index): gradient[\(bad.index)] = \(bad.actual), finite difference \(bad.expected)",
                         sourceLocation: sourceLocation)
        }
    }
}

/// A seeded random tensor for tests.
func randn(_ shape: [Int], seed: UInt64, scale: Float = 1) throws -> Tensor {
    try Tensor.normal(shape, std: scale, seed: seed)
}

/// Seeded uniform values in [low, high).
func uniform(_ shape: [Int], seed: UInt64, _ low: Float, _ high: Float) throws -> Tensor {
    try Tensor.uniform(shape, low: low, high: high, seed: seed)
}

/// Whether every element of two float arrays is within `atol + rtol·|expected|`.
func allClose(_ a: [Float], _ b: [Float], rtol: Double = 1e-5, atol: Double = 1e-5) -> Bool {
    Tolerance.firstMismatch(a.map(Double.init), b.map(Double.init), rtol: rtol, atol: atol) == nil
}
