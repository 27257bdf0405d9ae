// Reductions over axes. `sum` reduces by summing the tensor "back to" a keep-dims shape (the same
// kernel that un-broadcasts gradients), and its backward broadcasts the gradient out again.

extension Tensor {
    /// The shape with `axes` set to 1 (keep-dims form), after resolving negative axes.
    func reducedShape(_ axes: [Int]?, op: String) throws -> (keep: [Int], axes: [Int]) {
        let resolved = try (axes ?? Array(0..<rank)).map { try Shape.axis($0, rank: rank, op: op) }
        var keep = shape
        for axis in resolved { keep[axis] = 1 }
        return (keep, Array(Set(resolved)).sorted())
    }

    /// Sum over `axes` (all axes when nil); `keepDims` keeps them as size 1.
    /// - Throws: ``TensorError/invalidAxis(op:axis:rank:)`` for an axis outside the rank.
    public func sum(axes: [Int]? = nil, keepDims: Bool = false) throws -> Tensor {
        let (keep, resolved) = try reducedShape(axes, op: "sum")
        let out = Kernels.sumToShape(scalars, from: shape, to: keep)
        let outShape = keepDims ? keep : keep.enumerated().filter { !resolved.contains($0.offset) }.map(\.element)
        let inShape = shape
        return Tensor.make("sum", out, shape: outShape, inputs: [self]) { g, _ in
            [Kernels.broadcastCopy(g, keep, to: inShape)]
        }
    }

    /// Sum over one axis.
    public func sum(axis: Int, keepDims: Bool = false) throws -> Tensor { try sum(axes: [axis], keepDims: keepDims) }

    /// Mean over `axes` (all axes when nil).
    /// - Throws: ``TensorError/invalidAxis(op:axis:rank:)`` for an axis outside the rank.
    public func mean(axes: [Int]? = nil, keepDims: Bool = false) throws -> Tensor {
        let (_, resolved) = try reducedShape(axes, op: "mean")
        let n = resolved.reduce(1) { $0 * shape[$1] }
        return try sum(axes: resolved, keepDims: keepDims) * (1 / Float(Swift.max(n, 1)))
    }

    /// Mean over one axis.
    public func mean(axis: Int, keepDims: Bool = false) throws -> Tensor { try mean(axes: [axis], keepDims: keepDims) }

    /// Maximum along `axis`; the gradient flows to the first position holding the maximum.
    /// - Throws: ``TensorError`` for an invalid axis or an empty axis.
    public func max(axis: Int, keepDims: Bool = false) throws -> Tensor {
        let a = try Shape.axis(axis, rank: rank, op: "max")
        let n = shape[a]
        guard n > 0 else { throw TensorError.invalidArgument(op: "max", argument: "axis", reason: "axis \(axis) is empty") }
        let outer = Shape.count(Array(shape[..<a])), inner = Shape.count(Array(shape[(a + 1)...]))
        var values = [Float](repeating: 0, count: outer * inner)
        var argmax = [Int](repeating: 0, count: outer * inner)
        scalars.withUnsafeBufferPointer { x in
            for o in 0..<outer {
                for i in 0..<inner {
                    var best = x[o * n * inner + i], bestIndex = 0
                    for k in 1..<Swift.max(n, 1) where x[(o * n + k) * inner + i] > best {
                        best = x[(o * n + k) * inner + i]
                        bestIndex = k
                    }
                    values[o * inner + i] = best
                    argmax[o * inner + i] = bestIndex
                }
            }
        }
        var outShape = shape
        if keepDims { outShape[a] = 1 } else { outShape.remove(at: a) }
        let total = count
        return Tensor.make("max", values, shape: outShape, inputs: [self]) { g, _ in
            var dx = [Float](repeating: 0, count: total)
            for o in 0..<outer {
                for i in 0..<inner { dx[(o * n + argmax[o * inner + i]) * inner + i] = g[o * inner + i] }
            }
            return [dx]
        }
    }
}
