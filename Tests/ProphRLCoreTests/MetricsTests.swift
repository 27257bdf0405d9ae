import RealModule
import Testing
@testable import ProphRLCore

@Suite("Flow and image metrics")
struct MetricsTests {
    func roundHalfUp(_ v: Double) -> Int { Int((v + 0.5).rounded(.down)) }

    /// flow-eval.md §4.2 test frames: 32×32, channel c, column x, row y.
    func specFrames() throws -> (a: RGBImage, b: RGBImage) {
        func value(_ x: Double, _ y: Double, _ c: Double) -> Double {
            127.3 + 60 * Double.sin(2 * Double.pi * (x + 7 * c) / 23) * Double.cos(2 * Double.pi * y / 31)
                + 40 * Double.sin(2 * Double.pi * (x + 2 * y) / 41)
        }
        var a = [UInt8](), b = [UInt8]()
        for y in 0..<32 {
            for x in 0..<32 {
                for c in 0..<3 {
                    a.append(UInt8(roundHalfUp(value(Double(x), Double(y), Double(c)))))
                    let shifted = roundHalfUp(value(Double(x - 1), Double(y), Double(c))) + (7 * x + 13 * y) % 11 - 5
                    b.append(UInt8(min(max(shifted, 0), 255)))
                }
            }
        }
        return (try RGBImage(width: 32, height: 32, pixels: a), try RGBImage(width: 32, height: 32, pixels: b))
    }

    /// Direct 2-D SSIM: for each valid window, weighted moments with w(i)·w(j) — no separability.
    func naiveSSIM(_ a: RGBImage, _ b: RGBImage) -> Double {
        let n = 11
        var g = (0..<n).map { i -> Double in let x = Double(i - 5); return Double.exp(-x * x / 4.5) }
        let total = g.reduce(0, +)
        g = g.map { $0 / total }
        let c1 = 6.5025, c2 = 58.5225
        var channels = 0.0
        for c in 0..<3 {
            var sum = 0.0
            for y0 in 0...(a.height - n) {
                for x0 in 0...(a.width - n) {
                    var ma = 0.0, mb = 0.0, saa = 0.0, sbb = 0.0, sab = 0.0
                    for j in 0..<n {
                        for i in 0..<n {
                            let w = g[i] * g[j]
                            let p = ((y0 + j) * a.width + x0 + i) * 3 + c
                            let (va, vb) = (Double(a.pixels[p]), Double(b.pixels[p]))
                            ma += w * va; mb += w * vb
                            saa += w * va * va; sbb += w * vb * vb; sab += w * va * vb
                        }
                    }
                    let (va, vb, cov) = (saa - ma * ma, sbb - mb * mb, sab - ma * mb)
                    sum += (2 * ma * mb + c1) * (2 * cov + c2) / ((ma * ma + mb * mb + c1) * (va + vb + c2))
                }
            }
            channels += sum / Double((a.height - n + 1) * (a.width - n + 1))
        }
        return channels / 3
    }

    func randomImage(width: Int, height: Int, _ rng: inout SeededGenerator) throws -> RGBImage {
        try RGBImage(width: width, height: height,
                     pixels: (0..<width * height * 3).map { _ in UInt8(truncatingIfNeeded: rng.next() >> 56) })
    }

    @Test("Grey: OpenCV's values for primaries, grey is a fixed point, ±1 from the float formula on a sample")
    func greyConversion() throws {
        #expect(Grey.luma(r: 255, g: 0, b: 0) == 76)
        #expect(Grey.luma(r: 0, g: 255, b: 0) == 150)
        #expect(Grey.luma(r: 0, g: 0, b: 255) == 29)
        for v in 0...255 { #expect(Grey.luma(r: UInt8(v), g: UInt8(v), b: UInt8(v)) == UInt8(v)) }
        var rng = SeededGenerator(seed: 31)
        var mismatches = 0
        let samples = 200_000
        for _ in 0..<samples {
            let bits = rng.next()
            let (r, g, b) = (UInt8(truncatingIfNeeded: bits), UInt8(truncatingIfNeeded: bits >> 8),
                             UInt8(truncatingIfNeeded: bits >> 16))
            let float = (0.299 * Double(r) + 0.587 * Double(g) + 0.114 * Double(b)).rounded()
            let diff = abs(Double(Grey.luma(r: r, g: g, b: b)) - float)
            #expect(diff <= 1)
            if diff != 0 { mismatches += 1 }
        }
        #expect(Double(mismatches) / Double(samples) < 0.005)   // spec: about 0.1%
        let image = try RGBImage(width: 2, height: 1, pixels: [255, 0, 0, 10, 20, 30])
        #expect(try Grey.convert(image) == [76, 18])   // (19596·10 + 38470·20 + 7470·30 + 32768) >> 16 = 18
        #expect(try Grey.convertToFloat(image) == [76, 18])
    }

    @Test("Flow EPE and cosine match the flow-eval.md §4.1 test vector")
    func flowTestVector() throws {
        let generated = try FlowField(width: 4, height: 1, vectors: [1, 0, 0, 0.05, 3, 4, 0, 0])
        let reference = try FlowField(width: 4, height: 1, vectors: [0, 1, 0, 0.02, 3, 0, -1, 0])
        let epe = try FlowMetrics.endPointError(generated: generated, reference: reference)
        #expect(abs(epe - 1.6110533906) < 1e-6)   // Float inputs (0.05, 0.02) limit agreement to ~1e-9
        let cosine = try FlowMetrics.cosineSimilarity(generated: generated, reference: reference)
        #expect(cosine.pixelCount == 3)
        #expect(abs(try #require(cosine.value) - 0.2) < 1e-7)
        #expect(cosine.threshold == 0.1)
        // A threshold of 0.01 lets pixel 1 in: cosine of (0, 0.05) and (0, 0.02) is 1.
        let loose = try FlowMetrics.cosineSimilarity(generated: generated, reference: reference, threshold: 0.01)
        #expect(loose.pixelCount == 4)
        #expect(abs(try #require(loose.value) - 1.6 / 4) < 1e-7)
        // Roles swapped, reference-only mask: pixels 0 and 2 (pixel 3's new reference is zero,
        // pixel 1's is below θ); cosines 0 and 0.6.
        let referenceOnly = try FlowMetrics.cosineSimilarity(generated: reference, reference: generated,
                                                             mask: .referenceAboveThreshold)
        #expect(referenceOnly.pixelCount == 2)
        #expect(abs(try #require(referenceOnly.value) - 0.3) < 1e-7)
    }

    @Test("Flow metrics: identical fields, empty masks skipped and counted per clip")
    func flowClipScores() throws {
        var rng = SeededGenerator(seed: 32)
        let field = try FlowField(width: 8, height: 6, vectors: (0..<96).map { _ in Float(rng.nextGaussian()) })
        #expect(try FlowMetrics.endPointError(generated: field, reference: field) == 0)
        let selfCosine = try FlowMetrics.cosineSimilarity(generated: field, reference: field)
        #expect(abs(try #require(selfCosine.value) - 1) < 1e-12)
        let still = try FlowField(zerosWidth: 8, height: 6)
        #expect(try FlowMetrics.cosineSimilarity(generated: still, reference: still).value == nil)
        let negated = try FlowField(width: 8, height: 6, vectors: field.vectors.map { -$0 })
        let clip = try FlowMetrics.clipScores(generated: [field, still, negated], reference: [field, still, field])
        #expect(clip.skippedPairs == 1)
        #expect(abs(try #require(clip.cosine) - 0) < 1e-12)   // mean of +1 and −1
        let negEPE = try FlowMetrics.endPointError(generated: negated, reference: field)
        #expect(abs(clip.endPointError - negEPE / 3) < 1e-12)
    }

    @Test("PSNR and SSIM match the flow-eval.md §4.2 test vector")
    func imageTestVector() throws {
        let (a, b) = try specFrames()
        #expect(a.pixels.reduce(0) { $0 + Int($1) } == 386263)
        #expect(b.pixels.reduce(0) { $0 + Int($1) } == 386997)
        #expect(a[0, 0] == (127, 184, 89) && b[0, 0] == (100, 176, 92))
        #expect(abs(try ImageMetrics.meanSquaredError(generated: a, reference: b) - 95.76692708) < 1e-8)
        #expect(abs(try ImageMetrics.psnr(generated: a, reference: b) - 28.3186480863) < 1e-9)
        let channels = try ImageMetrics.ssimPerChannel(generated: a, reference: b)
        for (value, expected) in zip(channels, [0.9508462493, 0.9376380001, 0.9451088225]) {
            #expect(abs(value - expected) < 1e-9)
        }
        #expect(abs(try ImageMetrics.ssim(generated: a, reference: b) - 0.9445310240) < 1e-9)
        #expect(abs(try ImageMetrics.ssim(generated: a, reference: b) - naiveSSIM(a, b)) < 1e-12)
    }

    @Test("SSIM equals a direct 2-D reference on small random images; identical images give 1 and 100 dB")
    func ssimNaiveReference() throws {
        var rng = SeededGenerator(seed: 33)
        for (w, h) in [(11, 11), (13, 17), (20, 12)] {
            let a = try randomImage(width: w, height: h, &rng)
            var b = a
            for i in b.pixels.indices where rng.nextUniform() < 0.3 {
                b.pixels[i] = UInt8(truncatingIfNeeded: rng.next() >> 56)
            }
            let fast = try ImageMetrics.ssim(generated: a, reference: b)
            #expect(abs(fast - naiveSSIM(a, b)) < 1e-12, "\(w)×\(h)")
            #expect(fast < 1)
            #expect(abs(try ImageMetrics.ssim(generated: a, reference: a) - 1) < 1e-12)
            #expect(try ImageMetrics.psnr(generated: a, reference: a) == 100)
            #expect(try ImageMetrics.psnr(generated: a, reference: a, identical: .infinity) == .infinity)
        }
        let (a, b) = try specFrames()
        let clip = try ImageMetrics.clipScores(generated: [a, a], reference: [b, a])
        #expect(abs(clip.psnr - (28.3186480863 + 100) / 2) < 1e-9)
        #expect(abs(clip.ssim - (0.9445310240 + 1) / 2) < 1e-9)
    }

    @Test("Bad input throws ValidationError naming the argument")
    func badInput() throws {
        let small = try RGBImage(width: 10, height: 12)
        let other = try RGBImage(width: 12, height: 10)
        #expect { try ImageMetrics.psnr(generated: small, reference: other) } throws: {
            ($0 as? ValidationError)?.argument == "reference"
        }
        #expect { try ImageMetrics.ssim(generated: small, reference: small) } throws: {
            ($0 as? ValidationError)?.argument == "generated"
        }
        #expect(throws: ValidationError.empty(argument: "generated")) {
            try ImageMetrics.clipScores(generated: [], reference: [])
        }
        #expect { try ImageMetrics.psnr(generated: small, reference: small, identical: .nan) } throws: {
            ($0 as? ValidationError)?.argument == "identical"
        }
        #expect { try ImageMetrics.clipScores(generated: [small], reference: []) } throws: {
            ($0 as? ValidationError)?.argument == "reference"
        }
        var truncated = small
        truncated.pixels.removeLast()
        #expect { try Grey.convert(truncated) } throws: { ($0 as? ValidationError)?.argument == "image.pixels" }
        #expect { try ImageMetrics.psnr(generated: truncated, reference: small) } throws: {
            ($0 as? ValidationError)?.argument == "generated.pixels"
        }
        let f = try FlowField(zerosWidth: 2, height: 2)
        let g = try FlowField(zerosWidth: 2, height: 3)
        #expect { try FlowMetrics.endPointError(generated: f, reference: g) } throws: {
            ($0 as? ValidationError)?.argument == "reference"
        }
        var nan = f
        nan.vectors[5] = .nan
        #expect { try FlowMetrics.endPointError(generated: nan, reference: f) } throws: {
            guard case .nonFinite(let argument, let index, _)? = $0 as? ValidationError else { return false }
            return argument == "generated" && index == 5
        }
        #expect { try FlowMetrics.cosineSimilarity(generated: f, reference: f, threshold: -1) } throws: {
            ($0 as? ValidationError)?.argument == "threshold"
        }
        #expect { try FlowMetrics.cosineSimilarity(generated: f, reference: f, threshold: .nan) } throws: {
            ($0 as? ValidationError)?.argument == "threshold"
        }
        #expect(throws: ValidationError.empty(argument: "generated")) {
            try FlowMetrics.clipScores(generated: [], reference: [])
        }
    }
}
