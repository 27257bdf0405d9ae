import RealModule

/// OpenCV's image primitives as `calcOpticalFlowFarneback` uses them: `cvRound`, the float Gaussian kernel,
/// separable `GaussianBlur` with REFLECT_101 borders and bilinear `resize` (with its exact-2× area shortcut).
enum FarnebackImageOps {
    /// `cvRound`: nearest integer, halves to even.
    static func cvRound(_ value: Double) -> Int { Int(value.rounded(.toNearestOrEven)) }

    /// OpenCV's REFLECT_101 border index (`… 2 1 | 0 1 2 …`).
    static func reflect101(_ index: Int, _ length: Int) -> Int {
        if length == 1 { return 0 }
        var p = index
        while p < 0 || p >= length { p = p < 0 ? -p : 2 * length - 2 - p }
        return p
    }

    /// `getGaussianKernel(size, sigma, CV_32F)`: the fixed [¼, ½, ¼] for size 3 and σ ≤ 0, otherwise
    /// float32 weights `exp(−x²/(2σ²))` divided by their (double) sum.
    static func gaussianKernel(size: Int, sigma: Double) -> [Float] {
        if size == 3 && sigma <= 0 { return [0.25, 0.5, 0.25] }
        let s = sigma > 0 ? sigma : (Double(size - 1) * 0.5 - 1) * 0.3 + 0.8
        let scale = -0.5 / (s * s)
        var weights = [Float](repeating: 0, count: size)
        var sum = 0.0
        for i in 0..<size {
            let x = Double(i) - Double(size - 1) * 0.5
            weights[i] = Float(Double.exp(scale * x * x))
            sum += Double(weights[i])
        }
        let inverse = 1 / sum
        return weights.map { Float(Double($0) * inverse) }
    }

    /// Separable Gaussian blur of a single-channel float image, REFLECT_101 borders, float accumulation
    /// in OpenCV's symmetric order (centre tap, then the pairs outwards).
    static func gaussianBlur(_ source: [Float], width w: Int, height h: Int, size: Int, sigma: Double,
                             scratch rows: inout [Float], into result: inout [Float]) {
        let kernel = gaussianKernel(size: size, sigma: sigma)
        let r = size / 2
        reserve(&rows, w * h)
        var padded = [Float](repeating: 0, count: w + 2 * r)
        let columnIndex = (0..<(w + 2 * r)).map { reflect101($0 - r, w) }
        source.withUnsafeBufferPointer { src in
            rows.withUnsafeMutableBufferPointer { out in
                padded.withUnsafeMutableBufferPointer { pad in
                    for y in 0..<h {
                        let row = src.baseAddress! + y * w
                        for i in 0..<(w + 2 * r) { pad[i] = row[columnIndex[i]] }
                        let dst = out.baseAddress! + y * w
                        let centre = pad.baseAddress! + r
                        symmetricTaps(dst, centre: UnsafePointer(centre), count: w, kernel: kernel, radius: r) { UnsafePointer(centre + $0) }
                    }
                }
            }
        }
        reserve(&result, w * h)
        rows.withUnsafeBufferPointer { src in
            result.withUnsafeMutableBufferPointer { out in
                for y in 0..<h {
                    let dst = out.baseAddress! + y * w
                    let centre = src.baseAddress! + y * w
                    let base = src.baseAddress!
                    symmetricTaps(dst, centre: centre, count: w, kernel: kernel, radius: r) { offset in
                        base + reflect101(y + offset, h) * w
                    }
                }
            }
        }
    }

    /// `dst[x] = c[x]·k₀ + Σ_k (row(−k)[x] + row(k)[x])·k_k`, 8 lanes at a time (OpenCV's symmetric order).
    @inline(__always)
    private static func symmetricTaps(_ dst: UnsafeMutablePointer<Float>, centre: UnsafePointer<Float>, count w: Int,
                                      kernel: [Float], radius r: Int, row: (Int) -> UnsafePointer<Float>) {
        let k0 = kernel[r]
        var x = 0
        while x + 8 <= w {
            var acc = load8(centre + x) * k0
            for k in 0..<(r + 1) where k > 0 {
                acc += (load8(row(-k) + x) + load8(row(k) + x)) * kernel[r + k]
            }
            UnsafeMutableRawPointer(dst + x).storeBytes(of: acc, as: SIMD8<Float>.self)
            x += 8
        }
        while x < w {
            var acc = centre[x] * k0
            for k in 0..<(r + 1) where k > 0 { acc += (row(-k)[x] + row(k)[x]) * kernel[r + k] }
            dst[x] = acc
            x += 1
        }
    }

    @inline(__always) private static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    /// Bilinear `resize` of an interleaved float image with `channels` channels (OpenCV INTER_LINEAR: source
    /// coordinate `(x + 0.5)·scale − 0.5`, clamped to the first/last pixel); an exact 2× reduction is the 2×2 mean.
    static func resize(_ source: [Float], width sw: Int, height sh: Int, channels cn: Int,
                       toWidth dw: Int, toHeight dh: Int, into result: inout [Float]) {
        reserve(&result, dw * dh * cn)
        if sw == dw && sh == dh {
            result.withUnsafeMutableBufferPointer { out in
                source.withUnsafeBufferPointer { src in
                    out.baseAddress!.update(from: src.baseAddress!, count: dw * dh * cn)
                }
            }
            return
        }
        if sw == 2 * dw && sh == 2 * dh {
            source.withUnsafeBufferPointer { src in
                result.withUnsafeMutableBufferPointer { out in
                    for y in 0..<dh {
                        let r0 = src.baseAddress! + 2 * y * sw * cn, r1 = r0 + sw * cn
                        let dst = out.baseAddress! + y * dw * cn
                        for x in 0..<dw {
                            for c in 0..<cn {
                                let i = 2 * x * cn + c
                                dst[x * cn + c] = (r0[i] + r0[i + cn] + r1[i] + r1[i + cn]) * 0.25
                            }
                        }
                    }
                }
            }
            return
        }
        let (xIndex, xWeight) = linearTable(source: sw, destination: dw)
        let (yIndex, yWeight) = linearTable(source: sh, destination: dh)
        var top = [Float](repeating: 0, count: dw * cn), bottom = top
        source.withUnsafeBufferPointer { src in
            result.withUnsafeMutableBufferPointer { out in
                for y in 0..<dh {
                    let sy = yIndex[y]
                    horizontal(src.baseAddress! + sy * sw * cn, into: &top, xIndex, xWeight, sw, cn)
                    horizontal(src.baseAddress! + min(sy + 1, sh - 1) * sw * cn, into: &bottom, xIndex, xWeight, sw, cn)
                    let b1 = yWeight[y], b0 = 1 - b1
                    let dst = out.baseAddress! + y * dw * cn
                    for i in 0..<(dw * cn) { dst[i] = top[i] * b0 + bottom[i] * b1 }
                }
            }
        }
    }

    /// Makes `buffer` hold at least `count` elements, reusing its storage when it is large enough (contents are
    /// overwritten by the caller).
    static func reserve(_ buffer: inout [Float], _ count: Int) {
        if buffer.count < count { buffer = [Float](repeating: 0, count: count) }
    }

    /// Source index and fractional weight of each destination coordinate (OpenCV's clamping rule).
    private static func linearTable(source: Int, destination: Int) -> ([Int], [Float]) {
        let scale = Double(source) / Double(destination)
        var index = [Int](repeating: 0, count: destination), weight = [Float](repeating: 0, count: destination)
        for d in 0..<destination {
            var f = Float((Double(d) + 0.5) * scale - 0.5)
            var s = Int(f.rounded(.down))
            f -= Float(s)
            if s < 0 { f = 0; s = 0 }
            if s >= source - 1 { f = 0; s = source - 1 }
            index[d] = s
            weight[d] = f
        }
        return (index, weight)
    }

    private static func horizontal(_ row: UnsafePointer<Float>, into out: inout [Float], _ index: [Int], _ weight: [Float],
                                   _ sw: Int, _ cn: Int) {
        for x in 0..<index.count {
            let s = index[x], a1 = weight[x], a0 = 1 - a1
            let next = min(s + 1, sw - 1)
            for c in 0..<cn { out[x * cn + c] = row[s * cn + c] * a0 + row[next * cn + c] * a1 }
        }
    }
}
