// Shape primitives: views that copy (storage is always contiguous), each with its backward.

extension Tensor {
    /// The same values with a new shape; one dimension may be `-1` (inferred).
    /// - Throws: ``TensorError`` if the element counts differ.
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        var target = newShape
        if let inferred = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != inferred }.reduce(1) { $0 * $1.element }
            guard known > 0, count % known == 0 else {
                throw TensorError.shapeMismatch(op: "reshape", argument: "shape", expected: "a shape with \(count) elements",
                                                actual: "\(newShape)")
            }
            target[inferred] = count / known
        }
        guard try Shape.validatedCount(target, op: "reshape") == count else {
            throw TensorError.shapeMismatch(op: "reshape", argument: "shape", expected: "a shape with \(count) elements",
                                            actual: "\(newShape)")
        }
        return Tensor.make("reshape", scalars, shape: target, inputs: [self]) { g, _ in [g] }
    }

    /// Axes reordered: output axis `i` is input axis `axes[i]`.
    /// - Throws: ``TensorError`` unless `axes` is a permutation of `0..<rank`.
    public func permuted(_ axes: [Int]) throws -> Tensor {
        let resolved = try axes.map { try Shape.axis($0, rank: rank, op: "permute") }
        guard resolved.count == rank, Set(resolved).count == rank else {
            throw TensorError.invalidArgument(op: "permute", argument: "axes", reason: "expected a permutation of 0..<\(rank), got \(axes)")
        }
        if resolved == Array(0..<rank) { return self }
        let strides = Shape.strides(shape)
        let outShape = resolved.map { shape[$0] }
        let out = Kernels.stridedCopy(scalars, strides: resolved.map { strides[$0] }, outShape: outShape)
        var inverse = [Int](repeating: 0, count: rank)
        for (i, axis) in resolved.enumerated() { inverse[axis] = i }
        let outStrides = Shape.strides(outShape), inShape = shape
        return Tensor.make("permute", out, shape: outShape, inputs: [self]) { g, _ in
            [Kernels.stridedCopy(g, strides: inverse.map { outStrides[$0] }, outShape: inShape)]
        }
    }

    /// Two axes swapped (the last two by default).
    public func transposed(_ a: Int = -2, _ b: Int = -1) throws -> Tensor {
        let i = try Shape.axis(a, rank: rank, op: "transpose"), j = try Shape.axis(b, rank: rank, op: "transpose")
        var axes = Array(0..<rank)
        axes.swapAt(i, j)
        return try permuted(axes)
    }

    /// The tensor broadcast (copied) to `target`.
    /// - Throws: ``TensorError`` if the shape does not broadcast to `target`.
    public func broadcast(to target: [Int]) throws -> Tensor {
        guard try Shape.broadcast(shape, target, op: "broadcast") == target else {
            throw TensorError.shapeMismatch(op: "broadcast", argument: "target", expected: "a shape \(shape) broadcasts to",
                                            actual: "\(target)")
        }
        let inShape = shape
        return Tensor.make("broadcast", Kernels.broadcastCopy(scalars, shape, to: target), shape: target, inputs: [self]) { g, _ in
            [Kernels.sumToShape(g, from: target, to: inShape)]
        }
    }

    /// The elements `range` along `axis`.
    /// - Throws: ``TensorError`` for an invalid axis or a range outside the axis.
    public func slice(axis: Int, _ range: Range<Int>) throws -> Tensor {
        let a = try Shape.axis(axis, rank: rank, op: "slice")
        guard range.lowerBound >= 0, range.upperBound <= shape[a] else {
            throw TensorError.invalidArgument(op: "slice", argument: "range", reason: "expected within 0..<\(shape[a]), got \(range)")
        }
        let outer = Shape.count(Array(shape[..<a])), inner = Shape.count(Array(shape[(a + 1)...]))
        let n = shape[a], width = range.count
        var outShape = shape
        outShape[a] = width
        var out = [Float](repeating: 0, count: outer * width * inner)
        Tensor.copyBlocks(from: scalars, fromRow: n, fromOffset: range.lowerBound, to: &out, toRow: width, toOffset: 0,
                          rows: width, outer: outer, inner: inner)
        return Tensor.make("slice", out, shape: outShape, input: self) { dx, g in
            Tensor.addBlocks(from: g, fromRow: width, to: &dx, toRow: n, toOffset: range.lowerBound,
                             rows: width, outer: outer, inner: inner)
        }
    }

    /// Tensors joined along `axis` (all other dimensions equal).
    /// - Throws: ``TensorError`` for an empty list, an invalid axis or mismatched shapes.
    public static func concat(_ tensors: [Tensor], axis: Int) throws -> Tensor {
        guard let first = tensors.first else { throw TensorError.invalidArgument(op: "concat", argument: "tensors", reason: "empty list") }
        let a = try Shape.axis(axis, rank: first.rank, op: "concat")
        for (i, t) in tensors.enumerated() {
            var expected = first.shape
            if t.rank == first.rank { expected[a] = t.shape[a] }
            guard t.shape == expected else {
                throw TensorError.shapeMismatch(op: "concat", argument: "tensors[\(i)]",
                                                expected: "\(first.shape) except along axis \(a)", actual: "\(t.shape)")
            }
        }
        let outer = Shape.count(Array(first.shape[..<a])), inner = Shape.count(Array(first.shape[(a + 1)...]))
        let widths = tensors.map { $0.shape[a] }
        let total = widths.reduce(0, +)
        var outShape = first.shape
        outShape[a] = total
        var out = [Float](repeating: 0, count: outer * total * inner)
        var offset = 0
        for (t, w) in zip(tensors, widths) {
            copyBlocks(from: t.scalars, fromRow: w, fromOffset: 0, to: &out, toRow: total, toOffset: offset,
                       rows: w, outer: outer, inner: inner)
            offset += w
        }
        return make("concat", out, shape: outShape, inputs: tensors) { g, needs in
            var grads: [[Float]?] = []
            var start = 0
            for (i, w) in widths.enumerated() {
                if needs[i] {
                    var dx = [Float](repeating: 0, count: outer * w * inner)
                    copyBlocks(from: g, fromRow: total, fromOffset: start, to: &dx, toRow: w, toOffset: 0,
                               rows: w, outer: outer, inner: inner)
                    grads.append(dx)
                } else {
                    grads.append(nil)
                }
                start += w
            }
            return grads
        }
    }

    /// Pieces of the given sizes along `axis` (the inverse of ``concat(_:axis:)``).
    /// - Throws: ``TensorError`` if the sizes do not add up to the axis length.
    public func split(_ sizes: [Int], axis: Int) throws -> [Tensor] {
        let a = try Shape.axis(axis, rank: rank, op: "split")
        guard sizes.allSatisfy({ $0 >= 0 }), sizes.reduce(0, +) == shape[a] else {
            throw TensorError.invalidArgument(op: "split", argument: "sizes", reason: "expected non-negative sizes summing to \(shape[a]), got \(sizes)")
        }
        var start = 0
        return try sizes.map { size in
            defer { start += size }
            return try slice(axis: a, start..<(start + size))
        }
    }

    /// Zero (or `value`) padding of `before`/`after` elements along `axis`.
    /// - Throws: ``TensorError`` for an invalid axis or negative widths.
    public func padded(axis: Int, before: Int, after: Int, value: Float = 0) throws -> Tensor {
        let a = try Shape.axis(axis, rank: rank, op: "pad")
        guard before >= 0, after >= 0 else {
            throw TensorError.invalidArgument(op: "pad", argument: "widths", reason: "expected >= 0, got (\(before), \(after))")
        }
        let outer = Shape.count(Array(shape[..<a])), inner = Shape.count(Array(shape[(a + 1)...]))
        let n = shape[a], total = n + before + after
        var outShape = shape
        outShape[a] = total
        var out = [Float](repeating: value, count: outer * total * inner)
        Tensor.copyBlocks(from: scalars, fromRow: n, fromOffset: 0, to: &out, toRow: total, toOffset: before,
                          rows: n, outer: outer, inner: inner)
        let count = self.count
        return Tensor.make("pad", out, shape: outShape, inputs: [self]) { g, _ in
            var dx = [Float](repeating: 0, count: count)
            Tensor.copyBlocks(from: g, fromRow: total, fromOffset: before, to: &dx, toRow: n, toOffset: 0,
                              rows: n, outer: outer, inner: inner)
            return [dx]
        }
    }

    /// Rows of the first axis picked by `indices` (embedding lookup); result shape
    /// `[indices.count] + shape[1...]`. The backward scatter-adds into the picked rows.
    /// - Throws: ``TensorError`` if the tensor is a scalar or an index is out of range.
    public func gather(_ indices: [Int]) throws -> Tensor {
        guard rank >= 1 else { throw TensorError.invalidAxis(op: "gather", axis: 0, rank: 0) }
        let rows = shape[0], width = count / Swift.max(rows, 1)
        if let bad = indices.first(where: { $0 < 0 || $0 >= rows }) {
            throw TensorError.invalidArgument(op: "gather", argument: "indices", reason: "expected within 0..<\(rows), got \(bad)")
        }
        var out = [Float](repeating: 0, count: indices.count * width)
        scalars.withUnsafeBufferPointer { x in
            for (r, index) in indices.enumerated() {
                for j in 0..<width { out[r * width + j] = x[index * width + j] }
            }
        }
        let total = count
        return Tensor.make("gather", out, shape: [indices.count] + shape.dropFirst(), inputs: [self]) { g, _ in
            var dx = [Float](repeating: 0, count: total)
            for (r, index) in indices.enumerated() {
                for j in 0..<width { dx[index * width + j] += g[r * width + j] }
            }
            return [dx]
        }
    }

    /// Copies `rows` blocks of `inner` values for each of `outer` outer indices between two buffers
    /// viewed as `[outer, fromRow, inner]` and `[outer, toRow, inner]`.
    static func copyBlocks(from src: [Float], fromRow: Int, fromOffset: Int, to dst: inout [Float], toRow: Int,
                           toOffset: Int, rows: Int, outer: Int, inner: Int) {
        let block = rows * inner
        guard block > 0 else { return }
        src.withUnsafeBufferPointer { s in
            dst.withUnsafeMutableBufferPointer { d in
                Parallel.chunks(outer, costPerItem: block) { range in
                    for o in range {
                        let si = (o * fromRow + fromOffset) * inner, di = (o * toRow + toOffset) * inner
                        for j in 0..<block { d[di + j] = s[si + j] }
                    }
                }
            }
        }
    }

    /// Adds `[outer, fromRow, inner]` blocks into `[outer, toRow, inner]` at row `toOffset` (the
    /// in-place backward of a slice).
    static func addBlocks(from src: [Float], fromRow: Int, to dst: inout [Float], toRow: Int, toOffset: Int,
                          rows: Int, outer: Int, inner: Int) {
        let block = rows * inner
        guard block > 0 else { return }
        src.withUnsafeBufferPointer { s in
            dst.withUnsafeMutableBufferPointer { d in
                Parallel.chunks(outer, costPerItem: block) { range in
                    for o in range {
                        let si = o * fromRow * inner, di = (o * toRow + toOffset) * inner
                        for j in 0..<block { d[di + j] += s[si + j] }
                    }
                }
            }
        }
    }
}
