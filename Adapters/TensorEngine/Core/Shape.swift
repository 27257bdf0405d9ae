/// Shape arithmetic shared by the operations: counts, strides, axes and broadcasting.
enum Shape {
    /// The element count of `shape`.
    /// - Throws: ``TensorError`` if a dimension is negative or the count overflows.
    static func validatedCount(_ shape: [Int], op: String) throws -> Int {
        var count = 1
        for (axis, dimension) in shape.enumerated() {
            guard dimension >= 0 else {
                throw TensorError.invalidArgument(op: op, argument: "shape[\(axis)]",
                                                  reason: "expected >= 0, got \(dimension) in \(shape)")
            }
            let (next, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else {
                throw TensorError.invalidArgument(op: op, argument: "shape", reason: "element count overflows: \(shape)")
            }
            count = next
        }
        return count
    }

    /// The product of the dimensions (callers have validated them).
    static func count(_ shape: [Int]) -> Int { shape.reduce(1, *) }

    /// Row-major strides of `shape`.
    static func strides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = running
            running *= shape[axis]
        }
        return strides
    }

    /// Resolves a possibly negative axis (`-1` is the last) against `rank`.
    static func axis(_ axis: Int, rank: Int, op: String) throws -> Int {
        let resolved = axis < 0 ? axis + rank : axis
        guard resolved >= 0, resolved < rank else { throw TensorError.invalidAxis(op: op, axis: axis, rank: rank) }
        return resolved
    }

    /// The numpy broadcast of two shapes.
    /// - Throws: ``TensorError/shapeMismatch(op:argument:expected:actual:)`` when they do not broadcast.
    static func broadcast(_ a: [Int], _ b: [Int], op: String) throws -> [Int] {
        let rank = max(a.count, b.count)
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            if da == db || db == 1 { out[i] = da } else if da == 1 { out[i] = db } else {
                throw TensorError.shapeMismatch(op: op, argument: "other", expected: "a shape broadcastable with \(a)",
                                                actual: "\(b)")
            }
        }
        return out
    }

    /// Strides that read a tensor of shape `input` as if it had the (broadcast) shape `output`:
    /// 0 along broadcast dimensions.
    static func broadcastStrides(_ input: [Int], to output: [Int]) -> [Int] {
        let own = strides(input)
        let offset = output.count - input.count
        var result = [Int](repeating: 0, count: output.count)
        for i in 0..<input.count where input[i] != 1 || output[i + offset] == 1 {
            result[i + offset] = input[i] == 1 ? 0 : own[i]
        }
        return result
    }
}
