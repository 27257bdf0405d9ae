import Foundation

// Elementwise binary primitives with numpy broadcasting. Forward and backward side by side: the
// backward of a broadcast input sums the gradient over the dimensions it was broadcast along.

extension Tensor {
    /// The shared driver of broadcast binary ops: forward `f`, and the local partial derivatives
    /// `da(a, b, out)` and `db(a, b, out)` that the backward multiplies by the output gradient.
    @inline(__always)
    static func binary(_ op: String, _ a: Tensor, _ b: Tensor, _ f: @escaping (Float, Float) -> Float,
                       da: @escaping (Float, Float, Float) -> Float,
                       db: @escaping (Float, Float, Float) -> Float) throws -> Tensor {
        let shape = try Shape.broadcast(a.shape, b.shape, op: op)
        let out = Kernels.broadcastZip(a.scalars, a.shape, b.scalars, b.shape, outShape: shape, f)
        return make(op, out, shape: shape, inputs: [a, b]) { g, needs in
            let fullA = Kernels.broadcastCopy(a.scalars, a.shape, to: shape)
            let fullB = Kernels.broadcastCopy(b.scalars, b.shape, to: shape)
            var grads: [[Float]?] = [nil, nil]
            if needs[0] {
                let local = Kernels.zip3(fullA, fullB, out, da)
                grads[0] = Kernels.sumToShape(Kernels.zip(local, g, *), from: shape, to: a.shape)
            }
            if needs[1] {
                let local = Kernels.zip3(fullA, fullB, out, db)
                grads[1] = Kernels.sumToShape(Kernels.zip(local, g, *), from: shape, to: b.shape)
            }
            return grads
        }
    }

    /// `a + b` with broadcasting.
    public static func + (a: Tensor, b: Tensor) throws -> Tensor {
        let shape = try Shape.broadcast(a.shape, b.shape, op: "add")
        let out = Kernels.broadcastZip(a.scalars, a.shape, b.scalars, b.shape, outShape: shape, +)
        return make("add", out, shape: shape, inputs: [a, b]) { g, needs in
            [needs[0] ? Kernels.sumToShape(g, from: shape, to: a.shape) : nil,
             needs[1] ? Kernels.sumToShape(g, from: shape, to: b.shape) : nil]
        }
    }

    /// `a - b` with broadcasting.
    public static func - (a: Tensor, b: Tensor) throws -> Tensor {
        let shape = try Shape.broadcast(a.shape, b.shape, op: "sub")
        let out = Kernels.broadcastZip(a.scalars, a.shape, b.scalars, b.shape, outShape: shape, -)
        return make("sub", out, shape: shape, inputs: [a, b]) { g, needs in
            [needs[0] ? Kernels.sumToShape(g, from: shape, to: a.shape) : nil,
             needs[1] ? Kernels.sumToShape(Kernels.map(g) { -$0 }, from: shape, to: b.shape) : nil]
        }
    }

    /// `a * b` with broadcasting.
    public static func * (a: Tensor, b: Tensor) throws -> Tensor {
        let shape = try Shape.broadcast(a.shape, b.shape, op: "mul")
        let out = Kernels.broadcastZip(a.scalars, a.shape, b.scalars, b.shape, outShape: shape, *)
        return make("mul", out, shape: shape, inputs: [a, b]) { g, needs in
            // A full-shape factor needs no broadcast copy: reduce g ⊙ factor directly.
            [needs[0] ? (b.shape == shape ? Kernels.sumProductToShape(g, b.scalars, from: shape, to: a.shape)
                         : Kernels.sumToShape(Kernels.broadcastZip(g, shape, b.scalars, b.shape, outShape: shape, *),
                                              from: shape, to: a.shape)) : nil,
             needs[1] ? (a.shape == shape ? Kernels.sumProductToShape(g, a.scalars, from: shape, to: b.shape)
                         : Kernels.sumToShape(Kernels.broadcastZip(g, shape, a.scalars, a.shape, outShape: shape, *),
                                              from: shape, to: b.shape)) : nil]
        }
    }

    /// `a / b` with broadcasting.
    public static func / (a: Tensor, b: Tensor) throws -> Tensor {
        try binary("div", a, b, /, da: { _, y, _ in 1 / y }, db: { _, y, q in -q / y })
    }

    /// `a` raised to the power `b`, with broadcasting (`∂/∂b` uses `log a`, so keep `a > 0` where `b` trains).
    public func pow(_ exponent: Tensor) throws -> Tensor {
        try Tensor.binary("pow", self, exponent, { Foundation.pow($0, $1) },
                          da: { x, y, _ in y * Foundation.pow(x, y - 1) },
                          db: { x, _, p in x > 0 ? p * Foundation.log(x) : 0 })
    }

    /// Elementwise maximum of two tensors with broadcasting (the gradient goes to the larger; ties to `self`).
    public func maximum(_ other: Tensor) throws -> Tensor {
        try Tensor.binary("maximum", self, other, { Swift.max($0, $1) },
                          da: { x, y, _ in x >= y ? 1 : 0 }, db: { x, y, _ in x >= y ? 0 : 1 })
    }

    /// Elementwise minimum of two tensors with broadcasting (the gradient goes to the smaller; ties to `self`).
    public func minimum(_ other: Tensor) throws -> Tensor {
        try Tensor.binary("minimum", self, other, { Swift.min($0, $1) },
                          da: { x, y, _ in x <= y ? 1 : 0 }, db: { x, y, _ in x <= y ? 0 : 1 })
    }

    // MARK: - Scalar forms

    /// `a + s`.
    public static func + (a: Tensor, s: Float) -> Tensor {
        make("addScalar", Kernels.map(a.scalars) { $0 + s }, shape: a.shape, inputs: [a]) { g, _ in [g] }
    }

    /// `s + a`.
    public static func + (s: Float, a: Tensor) -> Tensor { a + s }

    /// `a - s`.
    public static func - (a: Tensor, s: Float) -> Tensor { a + (-s) }

    /// `s - a`.
    public static func - (s: Float, a: Tensor) -> Tensor { (-a) + s }

    /// `a * s`.
    public static func * (a: Tensor, s: Float) -> Tensor {
        make("scale", Kernels.map(a.scalars) { $0 * s }, shape: a.shape, inputs: [a]) { g, _ in
            [Kernels.map(g) { $0 * s }]
        }
    }

    /// `s * a`.
    public static func * (s: Float, a: Tensor) -> Tensor { a * s }

    /// `a / s`.
    public static func / (a: Tensor, s: Float) -> Tensor { a * (1 / s) }

    /// `-a`.
    public static prefix func - (a: Tensor) -> Tensor { a * -1 }
}
