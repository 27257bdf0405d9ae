// Comparisons (masks of 0 and 1, outside the graph) and `where`, whose gradient routes to the
// selected branch.

extension Tensor {
    /// 1 where `self > other` (broadcast), else 0; not differentiable.
    public func greater(_ other: Tensor) throws -> Tensor { try compare(other, "greater") { $0 > $1 } }
    /// 1 where `self < other` (broadcast), else 0; not differentiable.
    public func less(_ other: Tensor) throws -> Tensor { try compare(other, "less") { $0 < $1 } }
    /// 1 where `self == other` (broadcast), else 0; not differentiable.
    public func equal(_ other: Tensor) throws -> Tensor { try compare(other, "equal") { $0 == $1 } }

    private func compare(_ other: Tensor, _ op: String, _ predicate: (Float, Float) -> Bool) throws -> Tensor {
        let shape = try Shape.broadcast(self.shape, other.shape, op: op)
        let out = Kernels.broadcastZip(scalars, self.shape, other.scalars, other.shape, outShape: shape) {
            predicate($0, $1) ? 1 : 0
        }
        return Tensor(unchecked: out, shape: shape)
    }

    /// `a` where `condition` is non-zero, else `b` (all three broadcast together). Unlike
    /// `c·a + (1−c)·b`, an infinite value in the branch not taken does not leak a NaN.
    /// - Throws: ``TensorError`` when the shapes do not broadcast.
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        let shape = try Shape.broadcast(try Shape.broadcast(condition.shape, a.shape, op: "where"), b.shape, op: "where")
        let c = Kernels.broadcastCopy(condition.scalars, condition.shape, to: shape)
        let fa = Kernels.broadcastCopy(a.scalars, a.shape, to: shape)
        let fb = Kernels.broadcastCopy(b.scalars, b.shape, to: shape)
        let out = Kernels.zip3(c, fa, fb) { $0 != 0 ? $1 : $2 }
        return make("where", out, shape: shape, inputs: [a, b]) { g, needs in
            [needs[0] ? Kernels.sumToShape(Kernels.zip(c, g) { $0 != 0 ? $1 : 0 }, from: shape, to: a.shape) : nil,
             needs[1] ? Kernels.sumToShape(Kernels.zip(c, g) { $0 != 0 ? 0 : $1 }, from: shape, to: b.shape) : nil]
        }
    }
}
