import ProphRLCore
import ProphetDiT
import TensorEngine
import Testing

@Suite("Causal video autoencoder")
struct AutoencoderTests {
    static func video(frames: Int, height: Int, width: Int, seed: UInt64) throws -> Tensor {
        try Tensor.uniform([1, frames, height, width, 3], low: -1, high: 1, seed: seed)
    }

    @Test("shapes follow the 4×8×8 contract at several resolutions", arguments: [(32, 32), (64, 64), (48, 96)])
    func shapes(height: Int, width: Int) throws {
        var rng = SeededGenerator(seed: 1)
        let ae = try CausalVideoAutoencoder(configuration: .tiny, rng: &rng)
        let latent = try noGrad { try ae.encode(Self.video(frames: 9, height: height, width: width, seed: 2)) }
        #expect(latent.shape == [1, 3, height / 8, width / 8, 16])
        let decoded = try noGrad { try ae.decodeClamped(latent) }
        #expect(decoded.shape == [1, 9, height, width, 3])
        #expect(decoded.scalars.allSatisfy { $0 >= -1 && $0 <= 1 })
    }

    @Test("latent j is unchanged when only frames after 4j change")
    func causality() throws {
        var rng = SeededGenerator(seed: 3)
        let ae = try CausalVideoAutoencoder(configuration: .tiny, rng: &rng)
        let base = try Self.video(frames: 9, height: 32, width: 32, seed: 4)
        let before = try noGrad { try ae.encode(base) }
        for changed in [1, 5] {
            // Replace frames ≥ `changed` (frame 1 starts latent 1's group; frame 5 starts latent 2's).
            let noise = try Self.video(frames: 9, height: 32, width: 32, seed: 99)
            let mixed = try Tensor.concat([base.slice(axis: 1, 0..<changed), noise.slice(axis: 1, changed..<9)], axis: 1)
            let after = try noGrad { try ae.encode(mixed) }
            let unchangedLatents = (changed - 1) / 4 + 1
            for j in 0..<3 {
                let a = try before.slice(axis: 1, j..<(j + 1)).scalars, b = try after.slice(axis: 1, j..<(j + 1)).scalars
                if j < unchangedLatents { #expect(a == b, "latent \(j) must not see frame \(changed)") } else { #expect(a != b) }
            }
        }
    }

    @Test("a resolution that is not a multiple of 16 or a frame count not 1+4k is a typed error")
    func badInput() throws {
        var rng = SeededGenerator(seed: 5)
        let ae = try CausalVideoAutoencoder(configuration: .tiny, rng: &rng)
        #expect(throws: ValidationError.self) { try ae.encode(Self.video(frames: 5, height: 40, width: 32, seed: 1)) }
        #expect(throws: ValidationError.self) { try ae.encode(Self.video(frames: 4, height: 32, width: 32, seed: 1)) }
        var bad = ProphetConfiguration.tiny
        bad.width = 40
        #expect(throws: ValidationError.self) { try CausalVideoAutoencoder(configuration: bad, rng: &rng) }
    }

    @Test("loss gradients agree with central finite differences on sampled weights")
    func gradientsMatchFiniteDifferences() throws {
        var rng = SeededGenerator(seed: 6)
        let ae = try CausalVideoAutoencoder(configuration: .tiny, rng: &rng)
        let video = try Self.video(frames: 5, height: 16, width: 16, seed: 7)
        let (_, grads) = try valueAndGrad(ae) { m in try m.reconstructionLoss(video, latentPenalty: 0.1) }
        let slots = Dictionary(uniqueKeysWithValues: ae.namedParameterSlots().map { ($0.path, $0.parameter) })
        for path in ["down1.weight", "encoderBlock2.conv1.weight", "packGroup.weight", "unpackFirst.bias", "up3.weight"] {
            let slot = try #require(slots[path]), gradient = try #require(grads[path])
            let original = slot.value
            for index in [0, original.count / 2, original.count - 1] {
                func loss(_ delta: Float) throws -> Double {
                    var scalars = original.scalars
                    scalars[index] += delta
                    slot.value = try Tensor(scalars, shape: original.shape)
                    defer { slot.value = original }
                    return Double(try noGrad { try ae.reconstructionLoss(video, latentPenalty: 0.1) }.item())
                }
                let h: Float = 1e-2
                let numeric = (try loss(h) - loss(-h)) / Double(2 * h)
                let analytic = Double(gradient.scalars[index])
                #expect(abs(numeric - analytic) <= 2e-3 + 5e-2 * abs(numeric), "\(path)[\(index)]: \(analytic) vs FD \(numeric)")
            }
        }
    }

    @Test("overfits two tiny clips and stores channel statistics")
    func overfits() throws {
        var rng = SeededGenerator(seed: 8)
        let ae = try CausalVideoAutoencoder(configuration: .tiny, rng: &rng)
        let video = try Tensor.concat([Self.smoothVideo(seed: 1), Self.smoothVideo(seed: 2)], axis: 0)
        let optimizer = AdamW(learningRate: 3e-3, weightDecay: 0)
        let initial = try noGrad { try ae.reconstructionLoss(video) }.item()
        var last = initial
        for _ in 0..<60 {
            let (loss, grads) = try valueAndGrad(ae) { m in try m.reconstructionLoss(video) }
            try optimizer.update(ae, gradients: grads)
            last = try loss.item()
        }
        #expect(last < 0.4 * initial, "loss \(initial) → \(last)")
        let latent = try noGrad { try ae.encode(video) }
        let stats = CausalVideoAutoencoder.channelStatistics([latent])
        try ae.setLatentStatistics(mean: stats.mean, std: stats.std)
        let normalized = try noGrad { try ae.encodeNormalized(video) }
        let stats2 = CausalVideoAutoencoder.channelStatistics([normalized])
        for c in 0..<16 {
            #expect(abs(stats2.mean[c]) < 1e-3)
            #expect(abs(stats2.std[c] - 1) < 1e-2 || stats.std[c] == 1e-3)
        }
    }

    /// A moving gradient blob: structured content a tiny AE can learn quickly.
    static func smoothVideo(seed: UInt64) throws -> Tensor {
        let (t, h, w) = (5, 16, 16)
        var values = [Float](repeating: 0, count: t * h * w * 3)
        let phase = Float(seed)
        for f in 0..<t { for y in 0..<h { for x in 0..<w { for c in 0..<3 {
            let cx = 4 + Float(f) + phase, cy = 8 - phase
            let d = ((Float(x) - cx) * (Float(x) - cx) + (Float(y) - cy) * (Float(y) - cy)) / 20
            values[((f * h + y) * w + x) * 3 + c] = 0.8 * (2 / (1 + d) - 1) * (c == 1 ? -1 : 1)
        } } } }
        return try Tensor(values, shape: [1, t, h, w, 3])
    }
}
