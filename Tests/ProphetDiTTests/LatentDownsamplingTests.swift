import Foundation
import ProphRLCore
@testable import ProphetDiT
import TensorEngine
import Testing

/// `latentDownsampling` 4: a 16×16 latent at 64×64 (an 8×8 one at 32×32) for objects a few pixels wide.
@Suite("Autoencoder with 4× spatial downsampling")
struct LatentDownsamplingTests {
    static var fourfold: ProphetConfiguration {
        var config = ProphetConfiguration.tiny
        config.latentDownsampling = 4
        return config
    }

    @Test("shapes follow the 4×4×4 contract; the parameters are those of the 8× autoencoder; old configurations read as 8")
    func shapesAndParameters() throws {
        var rng = SeededGenerator(seed: 1), rng8 = SeededGenerator(seed: 1)
        let ae = try CausalVideoAutoencoder(configuration: Self.fourfold, rng: &rng)
        let ae8 = try CausalVideoAutoencoder(configuration: .tiny, rng: &rng8)
        for (height, width) in [(32, 32), (48, 96)] {
            let video = try AutoencoderTests.video(frames: 9, height: height, width: width, seed: 2)
            let latent = try noGrad { try ae.encode(video) }
            #expect(latent.shape == [1, 3, height / 4, width / 4, 16])
            #expect(try noGrad { try ae.decodeClamped(latent) }.shape == [1, 9, height, width, 3])
            #expect(try noGrad { try ae8.encode(video) }.shape == [1, 3, height / 8, width / 8, 16])
        }
        let shapes = ae.parameters().mapValues(\.shape), shapes8 = ae8.parameters().mapValues(\.shape)
        #expect(shapes == shapes8)
        #expect(Self.fourfold.latentHeight == 8 && ProphetConfiguration.tiny.latentHeight == 4)
        let decoded = try JSONDecoder().decode(ProphetConfiguration.self, from: JSONEncoder().encode(ProphetConfiguration.tiny))
        #expect(decoded.latentDownsampling == nil && decoded.spatialDownsampling == 8)
    }

    @Test("latent j is unchanged when only frames after 4j change")
    func causality() throws {
        var rng = SeededGenerator(seed: 3)
        let ae = try CausalVideoAutoencoder(configuration: Self.fourfold, rng: &rng)
        let base = try AutoencoderTests.video(frames: 9, height: 32, width: 32, seed: 4)
        let noise = try AutoencoderTests.video(frames: 9, height: 32, width: 32, seed: 99)
        let mixed = try Tensor.concat([base.slice(axis: 1, 0..<5), noise.slice(axis: 1, 5..<9)], axis: 1)
        let before = try noGrad { try ae.encode(base) }, after = try noGrad { try ae.encode(mixed) }
        #expect(try before.slice(axis: 1, 0..<2).scalars == after.slice(axis: 1, 0..<2).scalars)
        #expect(try before.slice(axis: 1, 2..<3).scalars != after.slice(axis: 1, 2..<3).scalars)
    }

    @Test("the DiT runs on the finer latent; a factor other than 4 or 8 is a typed error")
    func denoiserAndValidation() throws {
        var rng = SeededGenerator(seed: 5)
        var config = Self.fourfold
        config.chunkFrames = 4
        let model = try ProphetModel(configuration: config, seed: 5)
        let (h, w) = (config.latentHeight, config.latentWidth)
        let velocity = try noGrad {
            try model.denoiser(latent: Tensor.normal([1, 2, h, w, 16], seed: 1), timesteps: Tensor([0.0001, 0.5], shape: [1, 2]),
                               actions: Tensor.zeros([1, 28]), history: Tensor.zeros([1, 15, h, w, 16]))
        }
        #expect(velocity.shape == [1, 2, 8, 8, 16])
        var bad = ProphetConfiguration.tiny
        bad.latentDownsampling = 2
        #expect(throws: ValidationError.self) { try CausalVideoAutoencoder(configuration: bad, rng: &rng) }
    }
}
