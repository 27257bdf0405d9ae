import ProphRLCore
import Testing
@testable import TensorEngine

/// Bilinear/trilinear resizing and transposed convolution against naive loops, published values and
/// finite differences.
@Suite struct InterpolationAndTransposedConvTests {
    /// PyTorch's align_corners=False source coordinate of output index `o`, straight from its definition.
    static func source(_ o: Int, input: Int, output: Int) -> (Int, Int, Double) {
        let s = max((Double(o) + 0.5) * Double(input) / Double(output) - 0.5, 0)
        let i0 = min(Int(s.rounded(.down)), input - 1)
        return (i0, min(i0 + 1, input - 1), s - Double(i0))
    }

    /// Bilinear resize of `[B, H, W, C]` computed per output element in Double.
    static func naiveBilinear(_ x: Tensor, _ size: (Int, Int)) -> [Float] {
        let (b, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        var y = [Float]()
        func at(_ bi: Int, _ i: Int, _ j: Int, _ ch: Int) -> Double { Double(x.scalars[((bi * h + i) * w + j) * c + ch]) }
        for bi in 0..<b { for oy in 0..<size.0 { for ox in 0..<size.1 { for ch in 0..<c {
            let (y0, y1, ly) = source(oy, input: h, output: size.0), (x0, x1, lx) = source(ox, input: w, output: size.1)
            let top = (1 - lx) * at(bi, y0, x0, ch) + lx * at(bi, y0, x1, ch)
            let bottom = (1 - lx) * at(bi, y1, x0, ch) + lx * at(bi, y1, x1, ch)
            y.append(Float((1 - ly) * top + ly * bottom))
        }}}}
        return y
    }

    @Test func bilinearMatchesPyTorchValuesAndNaiveLoop() throws {
        // torch.nn.functional.interpolate([[1, 2], [3, 4]], size=(4, 4), mode="bilinear", align_corners=False)
        let square = try Tensor([1, 2, 3, 4], shape: [1, 2, 2, 1])
        let published: [Float] = [1.0, 1.25, 1.75, 2.0, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3.0, 3.25, 3.75, 4.0]
        #expect(allClose(try square.upsampleBilinear(size: (4, 4)).scalars, published, rtol: 0, atol: 1e-6))
        let x = try randn([2, 5, 3, 3], seed: 1)
        for size in [(10, 6), (7, 4), (3, 2), (5, 3)] {
            let y = try x.upsampleBilinear(size: size)
            #expect(y.shape == [2, size.0, size.1, 3])
            #expect(allClose(y.scalars, Self.naiveBilinear(x, size), rtol: 1e-5, atol: 1e-6))
        }
        #expect(try x.upsampleBilinear(size: (5, 3)).scalars == x.scalars)   // same size: the identity
        #expect(throws: TensorError.self) { try x.upsampleBilinear(size: (0, 3)) }
        #expect(throws: TensorError.self) { try randn([2, 3, 3], seed: 2).upsampleBilinear(size: (4, 4)) }
    }

    @Test func trilinearIsSeparableBilinearInTime() throws {
        let x = try randn([1, 2, 3, 4, 2], seed: 3)
        let y = try x.upsampleTrilinear(size: (4, 6, 8))
        #expect(y.shape == [1, 4, 6, 8, 2])
        // Frames 0 and 3 of the output are the bilinear resizes of input frames 0 and 1 (clamped ends);
        // frame 1 mixes them 3:1 (source 0.25).
        let frames = try x.split([1, 1], axis: 1).map { try $0.reshaped([1, 3, 4, 2]).upsampleBilinear(size: (6, 8)).scalars }
        let frame = 6 * 8 * 2
        #expect(allClose(Array(y.scalars[0..<frame]), frames[0], rtol: 1e-5, atol: 1e-6))
        #expect(allClose(Array(y.scalars[(3 * frame)..<(4 * frame)]), frames[1], rtol: 1e-5, atol: 1e-6))
        let mixed = zip(frames[0], frames[1]).map { 0.75 * $0 + 0.25 * $1 }
        #expect(allClose(Array(y.scalars[frame..<(2 * frame)]), mixed, rtol: 1e-5, atol: 1e-5))
    }

    @Test func interpolationGradients() throws {
        let image = try randn([2, 3, 4, 2], seed: 4)
        try checkGradients([image]) { p in try p[0].upsampleBilinear(size: (7, 5)) }
        try checkGradients([image]) { p in try p[0].upsampleBilinear(size: (2, 3)) }
        let video = try randn([1, 2, 3, 3, 2], seed: 5)
        try checkGradients([video]) { p in try p[0].upsampleTrilinear(size: (3, 5, 4)) }
    }

    /// Transposed convolution by its definition: every input pixel scatters `x · W` onto the output.
    static func naiveConvTranspose(_ x: Tensor, _ w: Tensor, _ bias: Tensor?, stride: (Int, Int), padding: (Int, Int),
                                   out: (Int, Int)) -> [Float] {
        let (b, h, wd, cin) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (cout, kh, kw) = (w.shape[1], w.shape[2], w.shape[3])
        var y = [Double](repeating: 0, count: b * out.0 * out.1 * cout)
        for bi in 0..<b { for iy in 0..<h { for ix in 0..<wd { for ci in 0..<cin { for co in 0..<cout {
            for ty in 0..<kh { for tx in 0..<kw {
                let (oy, ox) = (iy * stride.0 - padding.0 + ty, ix * stride.1 - padding.1 + tx)
                guard oy >= 0, oy < out.0, ox >= 0, ox < out.1 else { continue }
                y[((bi * out.0 + oy) * out.1 + ox) * cout + co] += Double(x.scalars[((bi * h + iy) * wd + ix) * cin + ci])
                    * Double(w.scalars[((ci * cout + co) * kh + ty) * kw + tx])
            }}
        }}}}}
        if let bias { for i in y.indices { y[i] += Double(bias.scalars[i % cout]) } }
        return y.map(Float.init)
    }

    @Test func convTransposeMatchesNaiveLoop() throws {
        let x = try randn([2, 3, 4, 3], seed: 6), w = try randn([3, 2, 3, 3], seed: 7), bias = try randn([2], seed: 8)
        for (stride, padding, outputPadding) in [((2, 2), (1, 1), (1, 1)), ((1, 2), (0, 1), (0, 0)), ((3, 1), (2, 0), (2, 0))] {
            let y = try x.convTranspose2d(w, bias: bias, stride: stride, padding: padding, outputPadding: outputPadding)
            let ho = (3 - 1) * stride.0 - 2 * padding.0 + 3 + outputPadding.0, wo = (4 - 1) * stride.1 - 2 * padding.1 + 3 + outputPadding.1
            #expect(y.shape == [2, ho, wo, 2])
            let expected = Self.naiveConvTranspose(x, w, bias, stride: stride, padding: padding, out: (ho, wo))
            #expect(allClose(y.scalars, expected, rtol: 1e-4, atol: 1e-4))
        }
        // The adjoint of conv2d: <convT(x), z> = <x, conv2d(z)> (conv2d reads [Cout, Cin, ...], the same array).
        let z = try randn([2, 6, 8, 2], seed: 9)
        let up = try x.convTranspose2d(w, stride: (2, 2), padding: (1, 1), outputPadding: (1, 1))
        let down = try z.conv2d(w, stride: (2, 2), padding: [(1, 1), (1, 1)])
        let lhs = zip(up.scalars, z.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let rhs = zip(x.scalars, down.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        #expect(abs(lhs - rhs) <= 1e-3 * max(1, abs(lhs)))
        #expect(throws: TensorError.self) { try x.convTranspose2d(w, stride: (2, 2), outputPadding: (2, 0)) }
        #expect(throws: TensorError.self) { try x.convTranspose2d(randn([2, 2, 3, 3], seed: 1)) }
    }

    @Test func convTransposeGradients() throws {
        let x = try randn([1, 3, 3, 2], seed: 10), w = try randn([2, 3, 3, 2], seed: 11, scale: 0.5), b = try randn([3], seed: 12)
        try checkGradients([x, w, b]) { p in try p[0].convTranspose2d(p[1], bias: p[2], stride: (2, 2), padding: (1, 0), outputPadding: (1, 1)) }
        try checkGradients([x, w]) { p in try p[0].convTranspose2d(p[1]) }
    }
}
