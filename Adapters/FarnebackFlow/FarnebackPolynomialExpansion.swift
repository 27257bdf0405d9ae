import RealModule

/// OpenCV's `FarnebackPolyExp`: per pixel, the Gaussian-weighted least-squares fit
/// `f(y) ≈ yᵀAy + bᵀy + c` over a (2n+1)² window, stored as five planes
/// `[b_y, b_x, a_yy, a_xx, a_xy]` (flow-eval.md §3.3c).
struct FarnebackPolynomialExpansion: Sendable {
    /// Half-width n of the window.
    let n: Int
    /// Normalised applicability g(k), k = 0…n (symmetric).
    let g: [Float]
    /// k·g(k).
    let xg: [Float]
    /// k²·g(k).
    let xxg: [Float]
    /// Entries (1,1), (0,3), (3,3), (5,5) of the inverse Gram matrix of (1, x, y, x², y², xy).
    let ig11: Double, ig03: Double, ig33: Double, ig55: Double

    /// Prepares the kernels and the inverse Gram terms (`FarnebackPrepareGaussian`).
    init(n: Int, sigma: Double) {
        self.n = n
        let s = sigma < Double(Float.ulpOfOne) ? Double(n) * 0.3 : sigma
        var raw = [Float](repeating: 0, count: 2 * n + 1)
        var sum = 0.0
        for x in -n...n {
            raw[x + n] = Float(Double.exp(-Double(x * x) / (2 * s * s)))
            sum += Double(raw[x + n])
        }
        let inverse = 1 / sum
        let full = raw.map { Float(Double($0) * inverse) }
        g = Array(full[n...])
        xg = (0...n).map { Float($0) * full[n + $0] }
        xxg = (0...n).map { Float($0 * $0) * full[n + $0] }
        // The Gram matrix under the separable weight, with OpenCV's float products accumulated in double.
        var gram = [[Double]](repeating: [Double](repeating: 0, count: 6), count: 6)
        for y in -n...n {
            for x in -n...n {
                let w = full[y + n] * full[x + n]
                let fx = Float(x), fy = Float(y)
                gram[0][0] += Double(w)
                gram[1][1] += Double(w * fx * fx)
                gram[3][3] += Double(w * fx * fx * fx * fx)
                gram[5][5] += Double(w * fx * fx * fy * fy)
            }
        }
        gram[2][2] = gram[1][1]; gram[0][3] = gram[1][1]; gram[0][4] = gram[1][1]
        gram[3][0] = gram[1][1]; gram[4][0] = gram[1][1]
        gram[4][4] = gram[3][3]
        gram[3][4] = gram[5][5]; gram[4][3] = gram[5][5]
        let inv = Self.invert(gram)
        ig11 = inv[1][1]; ig03 = inv[0][3]; ig33 = inv[3][3]; ig55 = inv[5][5]
    }

    /// Floats stored per pixel: the five coefficients, padded to a SIMD8 so one vector load fetches a pixel.
    static let stride = 8

    /// Writes the coefficients `[b_y, b_x, a_yy, a_xx, a_xy, ·, ·, ·]` of each pixel of a `width × height` float image,
    /// pixel after pixel (8 floats each; lanes 5–7 are unused) into the first `8·width·height` floats of `out`.
    func expand(_ image: [Float], width w: Int, height h: Int, into out: inout [Float]) {
        let lanes = 4
        let wv = (w + lanes - 1) / lanes * lanes          // rows processed in blocks of 4
        let left = n, right = n + (wv - w)
        FarnebackImageOps.reserve(&out, Self.stride * w * h)
        var r0 = [Float](repeating: 0, count: left + wv + right), r1 = r0, r2 = r0
        image.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                r0.withUnsafeMutableBufferPointer { r0p in
                r1.withUnsafeMutableBufferPointer { r1p in
                r2.withUnsafeMutableBufferPointer { r2p in
                    let s = src.baseAddress!
                    let v0 = r0p.baseAddress! + left, v1 = r1p.baseAddress! + left, v2 = r2p.baseAddress! + left
                    for y in 0..<h {
                        // Vertical pass (float), rows clamped.
                        let centre = s + y * w
                        let g0 = g[0]
                        for x in 0..<w { v0[x] = centre[x] * g0; v1[x] = 0; v2[x] = 0 }
                        for k in 1..<(n + 1) {
                            let up = s + max(y - k, 0) * w, down = s + min(y + k, h - 1) * w
                            let gk = g[k], xgk = xg[k], xxgk = xxg[k]
                            var x = 0
                            while x + lanes <= w {
                                let u = Self.load(up + x), d = Self.load(down + x)
                                let p = u + d
                                Self.store(Self.load(v0 + x) + gk * p, v0 + x)
                                Self.store(Self.load(v1 + x) + xgk * (d - u), v1 + x)
                                Self.store(Self.load(v2 + x) + xxgk * p, v2 + x)
                                x += lanes
                            }
                            while x < w {
                                let p = up[x] + down[x]
                                v0[x] += gk * p
                                v1[x] += xgk * (down[x] - up[x])
                                v2[x] += xxgk * p
                                x += 1
                            }
                        }
                        // Replicate the ends for the horizontal pass.
                        for i in 1...left { v0[-i] = v0[0]; v1[-i] = v1[0]; v2[-i] = v2[0] }
                        for i in 1...right { v0[w - 1 + i] = v0[w - 1]; v1[w - 1 + i] = v1[w - 1]; v2[w - 1 + i] = v2[w - 1] }
                        // Horizontal pass, 4 pixels at a time, double accumulators.
                        let dg0 = g0
                        for x in Swift.stride(from: 0, to: wv, by: lanes) {
                            var b1 = SIMD4<Double>(Self.load(v0 + x) * dg0), b2 = SIMD4<Double>()
                            var b3 = SIMD4<Double>(Self.load(v1 + x) * dg0), b4 = SIMD4<Double>()
                            var b5 = SIMD4<Double>(Self.load(v2 + x) * dg0), b6 = SIMD4<Double>()
                            for k in 1..<(n + 1) {
                                let gk = g[k], xgk = xg[k], dgk = Double(g[k]), dxxgk = Double(xxg[k])
                                let p0 = Self.load(v0 + x + k), m0 = Self.load(v0 + x - k)
                                let p1 = Self.load(v1 + x + k), m1 = Self.load(v1 + x - k)
                                let p2 = Self.load(v2 + x + k), m2 = Self.load(v2 + x - k)
                                let tg = SIMD4<Double>(p0 + m0)
                                b1 += tg * dgk
                                b4 += tg * dxxgk
                                b2 += SIMD4<Double>((p0 - m0) * xgk)
                                b3 += SIMD4<Double>((p1 + m1) * gk)
                                b6 += SIMD4<Double>((p1 - m1) * xgk)
                                b5 += SIMD4<Double>((p2 + m2) * gk)
                            }
                            let cy = b3 * ig11, cx = b2 * ig11
                            let cyy = b1 * ig03 + b5 * ig33, cxx = b1 * ig03 + b4 * ig33, cxy = b6 * ig55
                            for lane in 0..<min(lanes, w - x) {
                                let o = dst.baseAddress! + (y * w + x + lane) * Self.stride
                                o[0] = Float(cy[lane]); o[1] = Float(cx[lane]); o[2] = Float(cyy[lane])
                                o[3] = Float(cxx[lane]); o[4] = Float(cxy[lane])
                            }
                        }
                    }
                }
                }
                }
            }
        }
    }

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> SIMD4<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Float>.self)
    }

    @inline(__always) static func load(_ p: UnsafeMutablePointer<Float>) -> SIMD4<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Float>.self)
    }

    @inline(__always) static func store(_ v: SIMD4<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD4<Float>.self)
    }

    /// Gauss–Jordan inverse with partial pivoting (the Gram matrix is symmetric positive definite).
    static func invert(_ matrix: [[Double]]) -> [[Double]] {
        let size = matrix.count
        var a = matrix
        var inv = (0..<size).map { i in (0..<size).map { $0 == i ? 1.0 : 0.0 } }
        for col in 0..<size {
            var pivot = col
            for row in col..<size where abs(a[row][col]) > abs(a[pivot][col]) { pivot = row }
            a.swapAt(col, pivot); inv.swapAt(col, pivot)
            let d = a[col][col]
            for j in 0..<size { a[col][j] /= d; inv[col][j] /= d }
            for row in 0..<size where row != col {
                let f = a[row][col]
                if f == 0 { continue }
                for j in 0..<size { a[row][j] -= f * a[col][j]; inv[row][j] -= f * inv[col][j] }
            }
        }
        return inv
    }
}
