import ProphRLCore
import Testing
@testable import TensorEngine

/// Convolutions against a naive loop and finite differences; resampling, patches, a tiny conv net.
@Suite struct VisionTests {
    /// Direct 3-D convolution in Double, channels-last, zero padding `pad` before each axis.
    static func naiveConv3d(_ x: Tensor, _ w: Tensor, _ bias: Tensor?, stride: (Int, Int, Int), pad: (Int, Int, Int),
                            out: (Int, Int, Int)) -> [Float] {
        let (b, d, h, wd, cin) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3], x.shape[4])
        let (cout, kd, kh, kw) = (w.shape[0], w.shape[2], w.shape[3], w.shape[4])
        var y = [Float](repeating: 0, count: b * out.0 * out.1 * out.2 * cout)
        for bi in 0..<b { for od in 0..<out.0 { for oh in 0..<out.1 { for ow in 0..<out.2 { for co in 0..<cout {
            var acc = Double(bias?.scalars[co] ?? 0)
            for ci in 0..<cin { for z in 0..<kd { for yy in 0..<kh { for xx in 0..<kw {
                let (iz, iy, ix) = (od * stride.0 - pad.0 + z, oh * stride.1 - pad.1 + yy, ow * stride.2 - pad.2 + xx)
                guard iz >= 0, iz < d, iy >= 0, iy < h, ix >= 0, ix < wd else { continue }
                acc += Double(x.scalars[(((bi * d + iz) * h + iy) * wd + ix) * cin + ci])
                    * Double(w.scalars[(((co * cin + ci) * kd + z) * kh + yy) * kw + xx])
            }}}}
            y[(((bi * out.0 + od) * out.1 + oh) * out.2 + ow) * cout + co] = Float(acc)
        }}}}}
        return y
    }

    @Test func conv3dMatchesNaiveLoop() throws {
        let x = try randn([2, 4, 5, 6, 3], seed: 1), w = try randn([4, 3, 2, 3, 3], seed: 2), bias = try randn([4], seed: 3)
        let y = try x.conv3d(w, bias: bias, stride: (1, 2, 1), padding: [(1, 0), (1, 1), (0, 2)])
        #expect(y.shape == [2, 4, 3, 6, 4])
        let expected = Self.naiveConv3d(x, w, bias, stride: (1, 2, 1), pad: (1, 1, 0), out: (4, 3, 6))
        #expect(allClose(y.scalars, expected, rtol: 1e-4, atol: 1e-4))
        // Causal: output frame t depends on input frames ≤ t only.
        let causal = try x.conv3d(w, causalTemporal: true)
        var shifted = x.scalars
        for i in (3 * 5 * 6 * 3)..<(4 * 5 * 6 * 3) { shifted[i] += 10 }   // change the last frame of batch 0
        let changed = try Tensor(shifted, shape: x.shape).conv3d(w, causalTemporal: true)
        let frame = 3 * 4 * 4   // [B, 4, 3, 4, 4]: one frame of batch 0 has 3·4·4 values
        #expect(Array(causal.scalars[0..<(3 * frame)]) == Array(changed.scalars[0..<(3 * frame)]))
        #expect(Array(causal.scalars[(3 * frame)..<(4 * frame)]) != Array(changed.scalars[(3 * frame)..<(4 * frame)]))
    }

    @Test func convolutionGradients() throws {
        let x = try randn([1, 3, 4, 4, 2], seed: 4), w = try randn([3, 2, 2, 3, 3], seed: 5, scale: 0.5), b = try randn([3], seed: 6)
        try checkGradients([x, w, b]) { p in try p[0].conv3d(p[1], bias: p[2], stride: (1, 2, 1), padding: [(0, 0), (1, 1), (1, 0)]) }
        try checkGradients([x, w]) { p in try p[0].conv3d(p[1], causalTemporal: true) }
        let image = try randn([2, 5, 5, 2], seed: 7), w2 = try randn([3, 2, 3, 3], seed: 8, scale: 0.5)
        try checkGradients([image, w2]) { p in try p[0].conv2d(p[1], stride: (2, 2), padding: [(1, 1), (1, 1)]) }
    }

    @Test func resamplingAndPatches() throws {
        let x = try randn([1, 2, 4, 4, 3], seed: 9)
        try checkGradients([x]) { p in try p[0].upsampleNearest((2, 1, 2)) }
        try checkGradients([x]) { p in try p[0].avgPool3d((2, 2, 1)) }
        try checkGradients([x]) { p in try p[0].patchify(2) }
        let up = try x.upsampleNearest((1, 2, 2))
        #expect(up.shape == [1, 2, 8, 8, 3])
        #expect(try up.avgPool3d((1, 2, 2)).scalars == x.scalars)   // pooling undoes nearest upsampling
        let tokens = try x.patchify(2)
        #expect(tokens.shape == [1, 8, 12])
        #expect(try tokens.unpatchify(2, frames: 2, height: 4, width: 4, channels: 3).scalars == x.scalars)
        // Token 1 (frame 0, patch row 0, column 1) starts with pixel (0, 0, 2).
        #expect(Array(tokens.scalars[12..<15]) == Array(x.scalars[6..<9]))
        #expect(throws: TensorError.self) { try x.avgPool3d((3, 1, 1)) }
        #expect(throws: TensorError.self) { try x.patchify(3) }
        #expect(throws: TensorError.self) { try x.conv3d(Tensor.zeros([1, 2, 1, 1, 1])) }
    }

    @Test func tinyConvNetOverfitsABatch() throws {
        var rng = SeededGenerator(seed: 10)
        let conv1 = try Conv2d(1, 4, kernel: (3, 3), padding: [(1, 1), (1, 1)], rng: &rng)
        let conv2 = try Conv2d(4, 2, kernel: (3, 3), stride: (2, 2), padding: [(1, 1), (1, 1)], rng: &rng)
        final class Net: Module {
            let a: Conv2d, b: Conv2d
            init(_ a: Conv2d, _ b: Conv2d) { self.a = a; self.b = b }
        }
        let net = Net(conv1, conv2)
        let images = try Tensor.normal([4, 6, 6, 1], using: &rng), target = try Tensor.normal([4, 3, 3, 2], using: &rng)
        let optimizer = AdamW(learningRate: 0.03, weightDecay: 0)
        var losses: [Float] = []
        for _ in 0..<150 {
            let (loss, grads) = try valueAndGrad(net) { n in try n.b(n.a(images).silu()).mseLoss(target) }
            try optimizer.update(net, gradients: grads)
            losses.append(try loss.item())
        }
        #expect(net.parameters().keys.sorted() == ["a.bias", "a.weight", "b.bias", "b.weight"])
        #expect(losses[149] < 0.1 * losses[0])
    }
}
