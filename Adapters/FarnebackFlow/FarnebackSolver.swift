import RealModule

/// The per-level solver of OpenCV's Farneback: `FarnebackUpdateMatrices` and the windowed solve of
/// `FarnebackUpdateFlow_Blur` / `_GaussianBlur` (flow-eval.md §3.3e–f). All buffers are planar.
struct FarnebackSolver {
    /// OpenCV's border attenuation table.
    static let border: [Float] = [0.14, 0.14, 0.4472, 0.4472, 0.4472]

    let width: Int
    let height: Int

    /// Recomputes the five planes of M `[G11, G12, G22, h1, h2]` from the expansions (8 floats per pixel, see
    /// ``FarnebackPolynomialExpansion``) and the current flow.
    func updateMatrices(r0: [Float], r1: [Float], flowX: [Float], flowY: [Float], into m: inout [Float]) {
        let w = width, h = height, plane = w * h, stride = FarnebackPolynomialExpansion.stride
        r0.withUnsafeBufferPointer { r0b in
        r1.withUnsafeBufferPointer { r1b in
        flowX.withUnsafeBufferPointer { fxb in
        flowY.withUnsafeBufferPointer { fyb in
        m.withUnsafeMutableBufferPointer { mb in
            let p0 = UnsafeRawPointer(r0b.baseAddress!), p1 = UnsafeRawPointer(r1b.baseAddress!), out = mb.baseAddress!
            let rowBytes = w * stride * 4
            @inline(__always) func pixel(_ base: UnsafeRawPointer, _ index: Int) -> SIMD8<Float> {
                base.loadUnaligned(fromByteOffset: index * stride * 4, as: SIMD8<Float>.self)
            }
            for y in 0..<h {
                let yScale: Float = (y < 5 ? Self.border[y] : 1) * (y >= h - 5 ? Self.border[h - y - 1] : 1)
                for x in 0..<w {
                    let i = y * w + x
                    let dx = fxb[i], dy = fyb[i]
                    var fx = Float(x) + dx, fy = Float(y) + dy
                    let own = pixel(p0, i)
                    var r2: Float, r3: Float, r4: Float, r5: Float, r6: Float
                    // floor(f) in [0, size − 2] ⟺ f in [0, size − 1); there truncation is floor (NaN fails too).
                    if fx >= 0, fy >= 0, fx < Float(w - 1), fy < Float(h - 1) {
                        let x1 = Int(fx), y1 = Int(fy)
                        fx -= Float(x1); fy -= Float(y1)
                        let a00 = (1 - fx) * (1 - fy), a01 = fx * (1 - fy), a10 = (1 - fx) * fy, a11 = fx * fy
                        let q = p1 + (y1 * w + x1) * stride * 4
                        let top0 = q.loadUnaligned(as: SIMD8<Float>.self)
                        let top1 = q.loadUnaligned(fromByteOffset: stride * 4, as: SIMD8<Float>.self)
                        let bottom0 = q.loadUnaligned(fromByteOffset: rowBytes, as: SIMD8<Float>.self)
                        let bottom1 = q.loadUnaligned(fromByteOffset: rowBytes + stride * 4, as: SIMD8<Float>.self)
                        let sample = a00 * top0 + a01 * top1 + a10 * bottom0 + a11 * bottom1
                        r2 = sample[0]; r3 = sample[1]
                        r4 = (own[2] + sample[2]) * 0.5
                        r5 = (own[3] + sample[3]) * 0.5
                        r6 = (own[4] + sample[4]) * 0.25
                    } else {
                        r2 = 0; r3 = 0
                        r4 = own[2]
                        r5 = own[3]
                        r6 = own[4] * 0.5
                    }
                    r2 = (own[0] - r2) * 0.5
                    r3 = (own[1] - r3) * 0.5
                    r2 += r4 * dy + r6 * dx
                    r3 += r6 * dy + r5 * dx
                    if x < 5 || x >= w - 5 || y < 5 || y >= h - 5 {
                        let scale = (x < 5 ? Self.border[x] : 1) * (x >= w - 5 ? Self.border[w - x - 1] : 1) * yScale
                        r2 *= scale; r3 *= scale; r4 *= scale; r5 *= scale; r6 *= scale
                    }
                    out[i] = r4 * r4 + r6 * r6
                    out[plane + i] = (r4 + r5) * r6
                    out[2 * plane + i] = r5 * r5 + r6 * r6
                    out[3 * plane + i] = r4 * r2 + r6 * r3
                    out[4 * plane + i] = r6 * r2 + r5 * r3
                }
            }
        }
        }
        }
        }
        }
    }

    /// Box-window average of M (running sums in double, replicate border) and the per-pixel 2×2 solve.
    func solveBox(m: [Float], windowSize: Int, flowX: inout [Float], flowY: inout [Float]) {
        let w = width, h = height, plane = w * h
        let r = windowSize / 2
        let scale = 1 / Double(windowSize * windowSize)
        let stride = w + 2 * (r + 1)
        var vsum = [Double](repeating: 0, count: 5 * stride)
        m.withUnsafeBufferPointer { mb in
        vsum.withUnsafeMutableBufferPointer { vb in
        flowX.withUnsafeMutableBufferPointer { fxb in
        flowY.withUnsafeMutableBufferPointer { fyb in
            let src = mb.baseAddress!
            for c in 0..<5 {
                let v = vb.baseAddress! + c * stride + r + 1, base = src + c * plane
                for x in 0..<w { v[x] = Double(base[x]) * Double(r + 2) }
                if r > 1 {
                    for y in 1..<r {
                        let row = base + min(y, h - 1) * w
                        for x in 0..<w { v[x] += Double(row[x]) }
                    }
                }
            }
            for y in 0..<h {
                for c in 0..<5 {
                    let v = vb.baseAddress! + c * stride + r + 1, base = src + c * plane
                    let out = base + max(y - r - 1, 0) * w, into = base + min(y + r, h - 1) * w
                    for x in 0..<w { v[x] += Double(into[x] - out[x]) }
                    for i in 1...(r + 1) { v[-i] = v[0]; v[w - 1 + i] = v[w - 1] }
                }
                let v0 = vb.baseAddress! + r + 1
                var hs = (0.0, 0.0, 0.0, 0.0, 0.0)
                @inline(__always) func at(_ c: Int, _ x: Int) -> Double { v0[c * stride + x] }
                hs = (at(0, 0) * Double(r + 2), at(1, 0) * Double(r + 2), at(2, 0) * Double(r + 2),
                      at(3, 0) * Double(r + 2), at(4, 0) * Double(r + 2))
                if r > 1 {
                    for x in 1..<r {
                        hs.0 += at(0, x); hs.1 += at(1, x); hs.2 += at(2, x); hs.3 += at(3, x); hs.4 += at(4, x)
                    }
                }
                let row = y * w
                for x in 0..<w {
                    hs.0 += at(0, x + r) - at(0, x - r - 1)
                    hs.1 += at(1, x + r) - at(1, x - r - 1)
                    hs.2 += at(2, x + r) - at(2, x - r - 1)
                    hs.3 += at(3, x + r) - at(3, x - r - 1)
                    hs.4 += at(4, x + r) - at(4, x - r - 1)
                    let g11 = hs.0 * scale, g12 = hs.1 * scale, g22 = hs.2 * scale, h1 = hs.3 * scale, h2 = hs.4 * scale
                    let idet = 1 / (g11 * g22 - g12 * g12 + 1e-3)
                    fxb[row + x] = Float((g11 * h2 - g12 * h1) * idet)
                    fyb[row + x] = Float((g22 * h1 - g12 * h2) * idet)
                }
            }
        }
        }
        }
        }
    }

    /// Gaussian-window average of M (σ = 0.3·r, float accumulation, replicate border) and the 2×2 solve.
    func solveGaussian(m: [Float], windowSize: Int, flowX: inout [Float], flowY: inout [Float]) {
        let w = width, h = height, plane = w * h
        let r = windowSize / 2
        let sigma = Double(r) * 0.3
        var kernel = [Float](repeating: 1, count: r + 1)
        var s = 1.0
        if r > 0 {
            for i in 1...r {
                let t = Float(Double.exp(-Double(i * i) / (2 * sigma * sigma)))
                kernel[i] = t
                s += Double(t) * 2
            }
        }
        let inverse = 1 / s
        kernel = kernel.map { Float(Double($0) * inverse) }
        let stride = w + 2 * r
        var vsum = [Float](repeating: 0, count: 5 * stride)
        var hsum = [Float](repeating: 0, count: 5 * w)
        m.withUnsafeBufferPointer { mb in
        vsum.withUnsafeMutableBufferPointer { vb in
        hsum.withUnsafeMutableBufferPointer { hb in
        flowX.withUnsafeMutableBufferPointer { fxb in
        flowY.withUnsafeMutableBufferPointer { fyb in
            for y in 0..<h {
                for c in 0..<5 {
                    let base = mb.baseAddress! + c * plane
                    let v = vb.baseAddress! + c * stride + r
                    let centre = base + y * w
                    for x in 0..<w { v[x] = centre[x] * kernel[0] }
                    if r > 0 {
                        for i in 1...r {
                            let up = base + max(y - i, 0) * w, down = base + min(y + i, h - 1) * w
                            let k = kernel[i]
                            for x in 0..<w { v[x] += (down[x] + up[x]) * k }
                        }
                        for i in 1...r { v[-i] = v[0]; v[w - 1 + i] = v[w - 1] }
                    }
                    let hrow = hb.baseAddress! + c * w
                    for x in 0..<w { hrow[x] = v[x] * kernel[0] }
                    if r > 0 {
                        for i in 1...r {
                            let k = kernel[i]
                            for x in 0..<w { hrow[x] += k * (v[x - i] + v[x + i]) }
                        }
                    }
                }
                let hsp = hb.baseAddress!
                for x in 0..<w {
                    let g11 = Double(hsp[x]), g12 = Double(hsp[w + x]), g22 = Double(hsp[2 * w + x])
                    let h1 = Double(hsp[3 * w + x]), h2 = Double(hsp[4 * w + x])
                    let idet = 1 / (g11 * g22 - g12 * g12 + 1e-3)
                    fxb[y * w + x] = Float((g11 * h2 - g12 * h1) * idet)
                    fyb[y * w + x] = Float((g22 * h1 - g12 * h2) * idet)
                }
            }
        }
        }
        }
        }
        }
    }
}
