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
    /// With `parallel`, runs are split across the allowed cores; only for bodies whose runs write
    /// disjoint output (every run owns its slice of a contiguous output).
    @inline(__always)
    static func runs2(_ shape: [Int], _ sa: [Int], _ sb: [Int], parallel: Bool = false,
                      byOuterAxis: Bool = false, _ body: (Int, Int, Int, Int, Int, Int) -> Void) {
        let (dims, strides) = coalesce(shape, [sa, sb])
        if Shape.count(shape) == 0 { return }
        guard let n = dims.last else { body(0, 0, 0, 1, 0, 0); return }
        let innerA = strides[0][dims.count - 1], innerB = strides[1][dims.count - 1]
        let outer = dims.count - 1
        let runs = Shape.count(Array(dims.dropLast()))
        func work(_ range: Range<Int>) {
            // The multi-index of the first run of the range, then odometer steps.
            var index = [Int](repeating: 0, count: outer)
            var remainder = range.lowerBound, offA = 0, offB = 0
            for axis in stride(from: outer - 1, through: 0, by: -1) {
                index[axis] = remainder % dims[axis]
                remainder /= dims[axis]
                offA += index[axis] * strides[0][axis]
                offB += index[axis] * strides[1][axis]
            }
            var offOut = range.lowerBound * n
            for _ in range {
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
        if parallel && byOuterAxis && outer >= 1 {
            // Whole slices of the outermost axis per worker (for bodies that accumulate into outputs
            // shared along inner axes but distinct along the outermost one).
            let perSlice = runs / Swift.max(dims[0], 1)
            Parallel.chunks(dims[0], costPerItem: perSlice * n) { slices in
                work((slices.lowerBound * perSlice)..<(slices.upperBound * perSlice))
            }
        } else if parallel && !byOuterAxis {
            Parallel.chunks(runs, costPerItem: n, work)
        } else {
            work(0..<runs)
        }
    }

    /// Calls `body(outputOffset, aOffset, runLength, aStride)` for every inner run.
    @inline(__always)
    static func runs1(_ shape: [Int], _ sa: [Int], _ body: (Int, Int, Int, Int) -> Void) {
        runs2(shape, sa, sa) { o, a, _, n, s, _ in body(o, a, n, s) }
    }
}
