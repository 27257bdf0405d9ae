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

    /// The five coefficient planes of a `width × height` float image, concatenated plane after plane.
    func expand(_ image: [Float], width w: Int, height h: Int) -> [Float] {
        var out = [Float](repeating: 0, count: 5 * w * h)
        let pad = n
        var r0 = [Float](repeating: 0, count: w + 2 * pad), r1 = r0, r2 = r0
        var b = [Double](repeating: 0, count: 6 * w)
        image.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                r0.withUnsafeMutableBufferPointer { r0p in
                r1.withUnsafeMutableBufferPointer { r1p in
                r2.withUnsafeMutableBufferPointer { r2p in
                b.withUnsafeMutableBufferPointer { bp in
                    let s = src.baseAddress!
                    let v0 = r0p.baseAddress! + pad, v1 = r1p.baseAddress! + pad, v2 = r2p.baseAddress! + pad
                    for y in 0..<h {
                        // Vertical pass (float), rows clamped.
                        let centre = s + y * w
                        let g0 = g[0]
                        for x in 0..<w { v0[x] = centre[x] * g0; v1[x] = 0; v2[x] = 0 }
                        for k in stride(from: 1, through: n, by: 1) {
                            let up = s + max(y - k, 0) * w, down = s + min(y + k, h - 1) * w
                            let gk = g[k], xgk = xg[k], xxgk = xxg[k]
                            for x in 0..<w {
                                let p = up[x] + down[x]
                                v0[x] += gk * p
                                v1[x] += xgk * (down[x] - up[x])
                                v2[x] += xxgk * p
                            }
                        }
                        // Replicate the ends for the horizontal pass.
                        for i in 1...max(pad, 1) where i <= pad {
                            v0[-i] = v0[0]; v1[-i] = v1[0]; v2[-i] = v2[0]
                            v0[w - 1 + i] = v0[w - 1]; v1[w - 1 + i] = v1[w - 1]; v2[w - 1 + i] = v2[w - 1]
                        }
                        // Horizontal pass (double accumulators), one moment array after the other.
                        let b1 = bp.baseAddress!, b2 = b1 + w, b3 = b2 + w, b4 = b3 + w, b5 = b4 + w, b6 = b5 + w
                        for x in 0..<w {
                            b1[x] = Double(v0[x] * g0); b2[x] = 0; b3[x] = Double(v1[x] * g0)
                            b4[x] = 0; b5[x] = Double(v2[x] * g0); b6[x] = 0
                        }
                        for k in stride(from: 1, through: n, by: 1) {
                            let gk = g[k], xgk = xg[k], dgk = Double(g[k]), dxxgk = Double(xxg[k])
                            for x in 0..<w {
                                let tg = Double(v0[x + k] + v0[x - k])
                                b1[x] += tg * dgk
                                b4[x] += tg * dxxgk
                                b2[x] += Double((v0[x + k] - v0[x - k]) * xgk)
                                b3[x] += Double((v1[x + k] + v1[x - k]) * gk)
                                b6[x] += Double((v1[x + k] - v1[x - k]) * xgk)
                                b5[x] += Double((v2[x + k] + v2[x - k]) * gk)
                            }
                        }
                        let plane = w * h, o = dst.baseAddress! + y * w
                        for x in 0..<w {
                            o[x] = Float(b3[x] * ig11)
                            o[plane + x] = Float(b2[x] * ig11)
                            o[2 * plane + x] = Float(b1[x] * ig03 + b5[x] * ig33)
                            o[3 * plane + x] = Float(b1[x] * ig03 + b4[x] * ig33)
                            o[4 * plane + x] = Float(b6[x] * ig55)
                        }
                    }
                }
                }
                }
                }
            }
        }
        return out
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
