import Foundation

// Elementwise unary primitives. Each backward is the derivative written next to its forward,
// expressed through the input `x` and the output `y` so no extra transcendental call is needed.

extension Tensor {
    /// The shared driver: forward `f`, derivative `dfdx(x, y)`.
    @inline(__always)
    func unary(_ op: String, _ f: (Float) -> Float, _ dfdx: @escaping (Float, Float) -> Float) -> Tensor {
        let x = scalars
        let y = Kernels.map(x, f)
        return Tensor.make(op, y, shape: shape, inputs: [self]) { g, _ in
            [Kernels.zip3(x, y, g) { xi, yi, gi in gi * dfdx(xi, yi) }]
        }
    }

    /// The vectorised driver: forward `f`, derivative `dfdx(x, y)`, eight lanes at a time.
    @inline(__always)
    func vunary(_ op: String, _ f: (SIMD8<Float>) -> SIMD8<Float>,
                _ dfdx: @escaping (SIMD8<Float>, SIMD8<Float>) -> SIMD8<Float>) -> Tensor {
        let x = scalars
        let y = Kernels.vmap(x, f)
        return Tensor.make(op, y, shape: shape, inputs: [self]) { g, _ in
            [Kernels.vzip3(x, y, g) { xi, yi, gi in gi * dfdx(xi, yi) }]
        }
    }

    /// `eˣ`.
    public func exp() -> Tensor { vunary("exp", FastMath.exp, { _, y in y }) }
    /// Natural logarithm.
    public func log() -> Tensor { unary("log", { Foundation.log($0) }, { x, _ in 1 / x }) }
    /// Square root.
    public func sqrt() -> Tensor { unary("sqrt", { $0.squareRoot() }, { _, y in 0.5 / y }) }
    /// `1 / √x`.
    public func rsqrt() -> Tensor { unary("rsqrt", { 1 / $0.squareRoot() }, { x, y in -0.5 * y / x }) }
    /// Hyperbolic tangent.
    public func tanh() -> Tensor { vunary("tanh", FastMath.tanh, { _, y in 1 - y * y }) }
    /// Logistic sigmoid `1 / (1 + e⁻ˣ)`.
    public func sigmoid() -> Tensor { vunary("sigmoid", FastMath.sigmoid, { _, y in y * (1 - y) }) }
    /// Absolute value (gradient `sign(x)`, 0 at 0).
    public func abs() -> Tensor { unary("abs", { Swift.abs($0) }, { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) }) }
    /// `x²`.
    public func square() -> Tensor { unary("square", { $0 * $0 }, { x, _ in 2 * x }) }
    /// `max(x, 0)`.
    public func relu() -> Tensor { unary("relu", { Swift.max($0, 0) }, { x, _ in x > 0 ? 1 : 0 }) }

    /// `x` limited to `[lower, upper]` (gradient 1 inside, 0 where clamped).
    public func clamped(min lower: Float, max upper: Float) -> Tensor {
        unary("clamp", { Swift.min(Swift.max($0, lower), upper) }, { x, _ in x >= lower && x <= upper ? 1 : 0 })
    }

    /// `xᵖ` for a constant exponent.
    public func pow(_ p: Float) -> Tensor {
        if p == 2 { return square() }
        return unary("powScalar", { Foundation.pow($0, p) }, { x, _ in p * Foundation.pow(x, p - 1) })
    }

    /// Numerically safe logistic function.
    @inline(__always)
    static func sigmoid(_ x: Float) -> Float {
        if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
        let e = Foundation.exp(x)
        return e / (1 + e)
    }
}
