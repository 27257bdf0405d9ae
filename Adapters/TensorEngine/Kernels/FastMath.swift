import CTensorKernels

/// Vectorised transcendental functions on `SIMD8<Float>` (Cephes-style range reduction and
/// polynomials), used by the activation kernels instead of scalar libm calls, which dominated the
/// DiT profile. Accuracy: `exp` within ~2 ulp on its clamped range; `tanh` and `sigmoid` are built
/// from it with absolute error below 1e-7 (checked against libm in FastMathTests).
enum FastMath {
    typealias V = SIMD8<Float>

    /// `eˣ`, with `x` clamped to `[-87.3, 88.37]` (no overflow to infinity, no denormals).
    @inline(__always)
    static func exp(_ x: V) -> V {
        let low = V(repeating: -87.336_54), high = V(repeating: 88.376_26)
        let clamped = x.replacing(with: low, where: x .< low).replacing(with: high, where: x .> high)
        // Round to nearest with the 1.5·2²³ trick: after the add, the low mantissa bits hold n.
        let magic = V(repeating: 12_582_912)
        let shifted = clamped * 1.442_695_04 + magic
        let n = shifted - magic
        let r = clamped - n * 0.693_359_375 + n * 2.121_944_4e-4
        var p = V(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_59e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_12e-1
        let y = p * r * r + r + 1
        let integer = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000
        return y * unsafeBitCast((integer &+ 127) &<< 23, to: V.self)
    }

    /// `1 / (1 + e⁻ˣ)`.
    @inline(__always)
    static func sigmoid(_ x: V) -> V { 1 / (1 + exp(-x)) }

    /// `tanh x`: `1 − 2/(e^{2|x|} + 1)` with the sign restored, and the odd Taylor polynomial near 0
    /// where the subtraction would cancel.
    @inline(__always)
    static func tanh(_ x: V) -> V {
        let a = x.replacing(with: -x, where: x .< 0)
        let e: V = exp(a * 2)
        let large: V = 1 - 2 / (e + 1)
        let x2: V = x * x
        var poly = V(repeating: -17.0 / 315)
        poly = poly * x2 + (2.0 / 15)
        poly = poly * x2 + (-1.0 / 3)
        poly = poly * x2 + 1
        let small: V = x * poly
        let signed = large.replacing(with: -large, where: x .< 0)
        return signed.replacing(with: small, where: a .< 0.0625)
    }
}

extension Kernels {
    /// `f` applied to every element, eight at a time (the tail is padded and trimmed).
    @inline(__always)
    static func vmap(_ a: [Float], _ f: (SIMD8<Float>) -> SIMD8<Float>) -> [Float] {
        let n = a.count
        return [Float](unsafeUninitializedCapacity: n) { out, initialized in
            a.withUnsafeBufferPointer { pa in
                guard let src = pa.baseAddress, let dst = out.baseAddress else { return }
                Parallel.chunks((n + 7) / 8, costPerItem: 8) { blocks in
                    let end = Swift.min(n, blocks.upperBound * 8)
                    var i = blocks.lowerBound * 8
                    while i + 8 <= end {
                        let v = UnsafeRawPointer(src + i).loadUnaligned(as: SIMD8<Float>.self)
                        UnsafeMutableRawPointer(dst + i).storeBytes(of: f(v), as: SIMD8<Float>.self)
                        i += 8
                    }
                    if i < end {
                        var v = SIMD8<Float>(repeating: 0)
                        for j in 0..<(end - i) { v[j] = src[i + j] }
                        let y = f(v)
                        for j in 0..<(end - i) { dst[i + j] = y[j] }
                    }
                }
            }
            initialized = n
        }
    }

    /// `f(a, b, c)` elementwise for equal-count buffers, eight at a time.
    @inline(__always)
    static func vzip3(_ a: [Float], _ b: [Float], _ c: [Float],
                      _ f: (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) -> SIMD8<Float>) -> [Float] {
        let n = a.count
        return [Float](unsafeUninitializedCapacity: n) { out, initialized in
            a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in c.withUnsafeBufferPointer { pc in
                guard let s0 = pa.baseAddress, let s1 = pb.baseAddress, let s2 = pc.baseAddress, let dst = out.baseAddress else { return }
                Parallel.chunks((n + 7) / 8, costPerItem: 8) { blocks in
                    let end = Swift.min(n, blocks.upperBound * 8)
                    var i = blocks.lowerBound * 8
                    while i + 8 <= end {
                        let x = UnsafeRawPointer(s0 + i).loadUnaligned(as: SIMD8<Float>.self)
                        let y = UnsafeRawPointer(s1 + i).loadUnaligned(as: SIMD8<Float>.self)
                        let z = UnsafeRawPointer(s2 + i).loadUnaligned(as: SIMD8<Float>.self)
                        UnsafeMutableRawPointer(dst + i).storeBytes(of: f(x, y, z), as: SIMD8<Float>.self)
                        i += 8
                    }
                    if i < end {
                        var x = SIMD8<Float>(repeating: 0), y = x, z = x
                        for j in 0..<(end - i) { x[j] = s0[i + j]; y[j] = s1[i + j]; z[j] = s2[i + j] }
                        let r = f(x, y, z)
                        for j in 0..<(end - i) { dst[i + j] = r[j] }
                    }
                }
            }}}
            initialized = n
        }
    }
}

extension Kernels {
    /// `row[j] = exp(row[j] − shift)` for `j < count`, vectorised (CTensorKernels); returns the sum of the new values.
    @inline(__always)
    static func expShiftInPlace(_ row: UnsafeMutablePointer<Float>, count: Int, shift: Float) -> Float {
        ctk_exp_shift_sum(row, count, shift)
    }

    /// The largest of `count` values at `row` (−∞ when empty).
    @inline(__always)
    static func maximum(_ row: UnsafePointer<Float>, count: Int) -> Float { ctk_row_max(row, count) }
}
