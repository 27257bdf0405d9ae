import Foundation

/// Raw Float32 loops on contiguous buffers, shared by the forward and backward passes.
/// Simple indexed loops over unsafe buffers, which the optimiser vectorises.
enum Kernels {
    /// `a += b` elementwise (equal counts).
    static func addInPlace(_ a: inout [Float], _ b: [Float]) {
        a.withUnsafeMutableBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                Parallel.chunks(pa.count) { range in for i in range { pa[i] += pb[i] } }
            }
        }
    }

    /// `f` applied to every element.
    @inline(__always)
    static func map(_ a: [Float], _ f: (Float) -> Float) -> [Float] {
        [Float](unsafeUninitializedCapacity: a.count) { out, initialized in
            a.withUnsafeBufferPointer { pa in
                Parallel.chunks(pa.count) { range in for i in range { out[i] = f(pa[i]) } }
            }
            initialized = a.count
        }
    }

    /// `f(a[i], b[i])` for equal-count buffers.
    @inline(__always)
    static func zip(_ a: [Float], _ b: [Float], _ f: (Float, Float) -> Float) -> [Float] {
        [Float](unsafeUninitializedCapacity: a.count) { out, initialized in
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    Parallel.chunks(pa.count) { range in for i in range { out[i] = f(pa[i], pb[i]) } }
                }
            }
            initialized = a.count
        }
    }

    /// `f(a[i], b[i], c[i])` for equal-count buffers.
    @inline(__always)
    static func zip3(_ a: [Float], _ b: [Float], _ c: [Float], _ f: (Float, Float, Float) -> Float) -> [Float] {
        [Float](unsafeUninitializedCapacity: a.count) { out, initialized in
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    c.withUnsafeBufferPointer { pc in
                        Parallel.chunks(pa.count) { range in for i in range { out[i] = f(pa[i], pb[i], pc[i]) } }
                    }
                }
            }
            initialized = a.count
        }
    }

    /// `f(a, b)` with numpy broadcasting of the shapes to `outShape`.
    @inline(__always)
    static func broadcastZip(_ a: [Float], _ aShape: [Int], _ b: [Float], _ bShape: [Int], outShape: [Int],
                             _ f: (Float, Float) -> Float) -> [Float] {
        if aShape == bShape { return zip(a, b, f) }
        let count = Shape.count(outShape)
        let sa = Shape.broadcastStrides(aShape, to: outShape), sb = Shape.broadcastStrides(bShape, to: outShape)
        return [Float](unsafeUninitializedCapacity: count) { out, initialized in
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    StridedLoop.runs2(outShape, sa, sb, parallel: true) { o, ia, ib, n, da, db in
                        if da == 1 && db == 1 {
                            for i in 0..<n { out[o + i] = f(pa[ia + i], pb[ib + i]) }
                        } else if da == 1 && db == 0 {
                            let y = pb[ib]
                            for i in 0..<n { out[o + i] = f(pa[ia + i], y) }
                        } else if da == 0 && db == 1 {
                            let x = pa[ia]
                            for i in 0..<n { out[o + i] = f(x, pb[ib + i]) }
                        } else {
                            for i in 0..<n { out[o + i] = f(pa[ia + i * da], pb[ib + i * db]) }
                        }
                    }
                }
            }
            initialized = count
        }
    }

    /// Reads `a` (of shape `aShape`) broadcast to `outShape` into a contiguous buffer.
    static func broadcastCopy(_ a: [Float], _ aShape: [Int], to outShape: [Int]) -> [Float] {
        if aShape == outShape { return a }
        return stridedCopy(a, strides: Shape.broadcastStrides(aShape, to: outShape), outShape: outShape)
    }

    /// Gathers `a` read through `strides` (one per output axis) into a contiguous `outShape` buffer.
    static func stridedCopy(_ a: [Float], strides: [Int], outShape: [Int]) -> [Float] {
        let count = Shape.count(outShape)
        return [Float](unsafeUninitializedCapacity: count) { out, initialized in
            a.withUnsafeBufferPointer { pa in
                StridedLoop.runs2(outShape, strides, strides, parallel: true) { o, ia, _, n, da, _ in
                    if da == 1 {
                        for i in 0..<n { out[o + i] = pa[ia + i] }
                    } else if da == 0 {
                        let x = pa[ia]
                        for i in 0..<n { out[o + i] = x }
                    } else {
                        for i in 0..<n { out[o + i] = pa[ia + i * da] }
                    }
                }
            }
            initialized = count
        }
    }

    /// Sums a gradient of the broadcast shape `fromShape` back to the input shape `toShape`.
    static func sumToShape(_ g: [Float], from fromShape: [Int], to toShape: [Int]) -> [Float] {
        if fromShape == toShape { return g }
        return g.withUnsafeBufferPointer { pg in
            guard let g0 = pg.baseAddress else { return [Float](repeating: 0, count: Shape.count(toShape)) }
            return reduceToShape(g0, nil, from: fromShape, to: toShape)
        }
    }

    /// `sumToShape(g ⊙ a)` without materialising the product (the scale gradient of a broadcast multiply).
    static func sumProductToShape(_ g: [Float], _ a: [Float], from fromShape: [Int], to toShape: [Int]) -> [Float] {
        if fromShape == toShape { return zip(g, a, *) }
        return g.withUnsafeBufferPointer { pg in a.withUnsafeBufferPointer { pa in
            guard let g0 = pg.baseAddress, let a0 = pa.baseAddress else { return [Float](repeating: 0, count: Shape.count(toShape)) }
            return reduceToShape(g0, a0, from: fromShape, to: toShape)
        }}
    }

    /// Sums `g` (times `a`, when given) over the elements of `fromShape` into the broadcast-reduced
    /// `toShape`. The loops are written out for both cases so each inner loop vectorises; every output
    /// element is summed in the same (serial) order at any thread count.
    private static func reduceToShape(_ g: UnsafePointer<Float>, _ a: UnsafePointer<Float>?,
                                      from fromShape: [Int], to toShape: [Int]) -> [Float] {
        var out = [Float](repeating: 0, count: Shape.count(toShape))
        let strides = Shape.broadcastStrides(toShape, to: fromShape)
        let (dims, coalesced) = StridedLoop.coalesce(fromShape, [strides])
        out.withUnsafeMutableBufferPointer { po in
            guard let o0 = po.baseAddress else { return }
            if dims.count == 2, coalesced[0] == [0, 1] {
                // [rows, n] → [n] (bias-style): workers own disjoint column blocks.
                let (rows, n) = (dims[0], dims[1])
                Parallel.chunks(n, costPerItem: rows) { columns in
                    let (lo, hi) = (columns.lowerBound, columns.upperBound)
                    for r in 0..<rows {
                        let row = g + r * n
                        if let a {
                            let arow = a + r * n
                            for j in lo..<hi { o0[j] += row[j] * arow[j] }
                        } else {
                            for j in lo..<hi { o0[j] += row[j] }
                        }
                    }
                }
            } else if dims.count == 2, coalesced[0] == [1, 0] {
                // [rows, n] → [rows] (row sums): workers own disjoint rows.
                let n = dims[1]
                Parallel.chunks(dims[0], costPerItem: n) { rows in
                    for r in rows {
                        var s: Float = 0
                        if let a { for j in 0..<n { s += g[r * n + j] * a[r * n + j] } } else { for j in 0..<n { s += g[r * n + j] } }
                        o0[r] = s
                    }
                }
            } else {
                // Parallel over the outermost axis only when its slices own distinct outputs.
                let outerDistinct = dims.count >= 2 && coalesced[0][0] != 0
                StridedLoop.runs2(dims, coalesced[0], coalesced[0], parallel: outerDistinct, byOuterAxis: true) { o, io, _, n, d, _ in
                    let src = g + o, dst = o0 + io
                    if d == 0 {
                        var s: Float = 0
                        if let a { let f = a + o; for i in 0..<n { s += src[i] * f[i] } } else { for i in 0..<n { s += src[i] } }
                        dst[0] += s
                    } else if d == 1 {
                        if let a { let f = a + o; for i in 0..<n { dst[i] += src[i] * f[i] } } else { for i in 0..<n { dst[i] += src[i] } }
                    } else {
                        if let a { let f = a + o; for i in 0..<n { dst[i * d] += src[i] * f[i] } } else { for i in 0..<n { dst[i * d] += src[i] } }
                    }
                }
            }
        }
        return out
    }

    /// A native elementwise kernel `f(input, output, count)` applied in parallel chunks.
    @inline(__always)
    static func cmap(_ a: [Float], _ f: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void) -> [Float] {
        [Float](unsafeUninitializedCapacity: a.count) { out, initialized in
            a.withUnsafeBufferPointer { pa in
                guard let src = pa.baseAddress, let dst = out.baseAddress else { return }
                Parallel.chunks(pa.count) { range in f(src + range.lowerBound, dst + range.lowerBound, range.count) }
            }
            initialized = a.count
        }
    }

    /// A native elementwise kernel `f(a, b, output, count)` on equal-count buffers, in parallel chunks.
    @inline(__always)
    static func cmap2(_ a: [Float], _ b: [Float],
                      _ f: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void) -> [Float] {
        [Float](unsafeUninitializedCapacity: a.count) { out, initialized in
            a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in
                guard let s0 = pa.baseAddress, let s1 = pb.baseAddress, let dst = out.baseAddress else { return }
                Parallel.chunks(pa.count) { range in
                    f(s0 + range.lowerBound, s1 + range.lowerBound, dst + range.lowerBound, range.count)
                }
            }}
            initialized = a.count
        }
    }
}
