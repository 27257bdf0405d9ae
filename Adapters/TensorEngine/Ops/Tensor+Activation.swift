import CTensorKernels
import Foundation

// Activations and (log-)softmax. Each is one fused primitive whose backward is its closed-form
// derivative; the tests check them against finite differences like the primitives they replace.

extension Tensor {
    /// SiLU (swish): `x · σ(x)`.
    public func silu() -> Tensor {
        vunary("silu", { $0 * FastMath.sigmoid($0) }) { x, _ in
            let s = FastMath.sigmoid(x)
            return s * (1 + x * (1 - s))
        }
    }

    /// GELU, exact (`x · Φ(x)` with the normal CDF) or with the tanh approximation, computed as
    /// `x · σ(2u)`, `u = √(2/π)(x + 0.044715x³)` (the same function: `½(1 + tanh u) = σ(2u)`).
    public func gelu(approximate: Bool = false) -> Tensor {
        if approximate {
            let x = scalars
            let y = Kernels.cmap(x) { ctk_gelu_tanh_forward($0, $1, $2) }
            return Tensor.make("geluTanh", y, shape: shape, inputs: [self]) { g, _ in
                [Kernels.cmap2(x, g) { ctk_gelu_tanh_backward($0, $1, $2, $3) }]
            }
        }
        return unary("gelu", { x in 0.5 * x * (1 + Foundation.erf(x * 0.707_106_78)) }) { x, _ in
            0.5 * (1 + Foundation.erf(x * 0.707_106_78)) + x * 0.398_942_28 * Foundation.exp(-0.5 * x * x)
        }
    }

    /// `2u = 2√(2/π)(x + 0.044715x³)`, the sigmoid argument of GELU-tanh.
    @inline(__always)
    static func geluArgument(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let x3: SIMD8<Float> = x * x * x
        return (x + x3 * 0.044715) * (2 * 0.797_884_56)
    }

    /// Softmax along `axis` (max-subtracted, so large logits do not overflow).
    /// - Throws: ``TensorError/invalidAxis(op:axis:rank:)``.
    public func softmax(axis: Int = -1) throws -> Tensor {
        try alongLastAxis(axis, op: "softmax") { $0.lastAxisSoftmax(log: false) }
    }

    /// Log-softmax along `axis` (`x − max − log Σ exp(x − max)`).
    /// - Throws: ``TensorError/invalidAxis(op:axis:rank:)``.
    public func logSoftmax(axis: Int = -1) throws -> Tensor {
        try alongLastAxis(axis, op: "logSoftmax") { $0.lastAxisSoftmax(log: true) }
    }

    /// Applies a last-axis op along `axis` by moving that axis last and back.
    func alongLastAxis(_ axis: Int, op: String, _ body: (Tensor) throws -> Tensor) throws -> Tensor {
        let a = try Shape.axis(axis, rank: rank, op: op)
        if a == rank - 1 { return try body(self) }
        return try body(transposed(a, -1)).transposed(a, -1)
    }

    private func lastAxisSoftmax(log: Bool) -> Tensor {
        let n = shape.last ?? 1, rows = count / Swift.max(n, 1)
        var out = [Float](repeating: 0, count: count)
        scalars.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                for r in 0..<rows {
                    let base = r * n
                    var m = -Float.infinity
                    for j in 0..<n { m = Swift.max(m, x[base + j]) }
                    var s: Float = 0
                    for j in 0..<n { let e = Foundation.exp(x[base + j] - m); y[base + j] = e; s += e }
                    if log {
                        let lse = m + Foundation.log(s)
                        for j in 0..<n { y[base + j] = x[base + j] - lse }
                    } else {
                        let inv = 1 / s
                        for j in 0..<n { y[base + j] *= inv }
                    }
                }
            }
        }
        let y = out
        return Tensor.make(log ? "logSoftmax" : "softmax", y, shape: shape, inputs: [self]) { g, _ in
            var dx = [Float](repeating: 0, count: y.count)
            for r in 0..<rows {
                let base = r * n
                if log {  // dx = g − softmax · Σg
                    var sg: Float = 0
                    for j in 0..<n { sg += g[base + j] }
                    for j in 0..<n { dx[base + j] = g[base + j] - Foundation.exp(y[base + j]) * sg }
                } else {  // dx = y ⊙ (g − Σ g⊙y)
                    var dot: Float = 0
                    for j in 0..<n { dot += g[base + j] * y[base + j] }
                    for j in 0..<n { dx[base + j] = y[base + j] * (g[base + j] - dot) }
                }
            }
            return [dx]
        }
    }
}
