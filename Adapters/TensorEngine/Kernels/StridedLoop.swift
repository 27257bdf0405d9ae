/// Iteration over a row-major output whose inputs are read through arbitrary strides (0 along
/// broadcast dimensions). Dimensions are coalesced first so the inner run is as long as possible;
/// the body receives the offsets of one run and its length and inner strides.
enum StridedLoop {
    /// Removes size-1 dimensions and merges neighbours that are contiguous in every stride list.
    static func coalesce(_ shape: [Int], _ strideLists: [[Int]]) -> (shape: [Int], strides: [[Int]]) {
        var outShape: [Int] = []
        var outStrides = [[Int]](repeating: [], count: strideLists.count)
        for axis in shape.indices where shape[axis] != 1 {
            if let last = outShape.last,
               strideLists.indices.allSatisfy({ outStrides[$0][outStrides[$0].count - 1] == strideLists[$0][axis] * shape[axis] }) {
                outShape[outShape.count - 1] = last * shape[axis]
                for k in strideLists.indices { outStrides[k][outStrides[k].count - 1] = strideLists[k][axis] }
            } else {
                outShape.append(shape[axis])
                for k in strideLists.indices { outStrides[k].append(strideLists[k][axis]) }
            }
        }
        return (outShape, outStrides)
    }

    /// Calls `body(outputOffset, aOffset, bOffset, runLength, aStride, bStride)` for every inner run.
    @inline(__always)
    static func runs2(_ shape: [Int], _ sa: [Int], _ sb: [Int],
                      _ body: (Int, Int, Int, Int, Int, Int) -> Void) {
        let (dims, strides) = coalesce(shape, [sa, sb])
        if Shape.count(shape) == 0 { return }
        guard let n = dims.last else { body(0, 0, 0, 1, 0, 0); return }
        let innerA = strides[0][dims.count - 1], innerB = strides[1][dims.count - 1]
        let outer = dims.count - 1
        var index = [Int](repeating: 0, count: outer)
        var offA = 0, offB = 0, offOut = 0
        let runs = Shape.count(Array(dims.dropLast()))
        for _ in 0..<runs {
            body(offOut, offA, offB, n, innerA, innerB)
            offOut += n
            var axis = outer - 1
            while axis >= 0 {
                index[axis] += 1
                offA += strides[0][axis]
                offB += strides[1][axis]
                if index[axis] < dims[axis] { break }
                offA -= strides[0][axis] * dims[axis]
                offB -= strides[1][axis] * dims[axis]
                index[axis] = 0
                axis -= 1
            }
        }
    }

    /// Calls `body(outputOffset, aOffset, runLength, aStride)` for every inner run.
    @inline(__always)
    static func runs1(_ shape: [Int], _ sa: [Int], _ body: (Int, Int, Int, Int) -> Void) {
        runs2(shape, sa, sa) { o, a, _, n, s, _ in body(o, a, n, s) }
    }
}
