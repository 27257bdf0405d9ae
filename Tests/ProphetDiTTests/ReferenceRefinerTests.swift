import Foundation
import ProphRLCore
import ProphetDiT
import TensorEngine
import Testing

@Suite("Reference refiner (world sharpen)")
struct ReferenceRefinerTests {
    static func refined(width: Int = 8) -> ProphetConfiguration {
        var config = ProphetConfiguration.tiny
        config.referenceRefinerWidth = width
        return config
    }

    static func video(frames: Int, seed: UInt64) throws -> Tensor {
        try Tensor.uniform([1, frames, 32, 32, 3], low: -1, high: 1, seed: seed)
    }

    @Test("an untrained refiner decodes exactly like the plain decoder, with or without a reference")
    func startsAsIdentity() throws {
        var rngA = SeededGenerator(seed: 1), rngB = SeededGenerator(seed: 1)
        let plain = try CausalVideoAutoencoder(configuration: .tiny, rng: &rngA)
        let refined = try CausalVideoAutoencoder(configuration: Self.refined(), rng: &rngB)
        try refined.update(parameters: plain.parameters())
        let video = try Self.video(frames: 5, seed: 2)
        let latent = try noGrad { try plain.encode(video) }
        let expected = try noGrad { try plain.decode(latent) }.scalars
        #expect(try noGrad { try refined.decode(latent, reference: video.slice(axis: 1, 0..<1)) }.scalars == expected)
        #expect(try noGrad { try refined.decode(latent) }.scalars == expected)
        #expect(refined.refinesWithReference && !plain.refinesWithReference)
    }

    @Test("refinement-loss gradients agree with central finite differences")
    func gradientsMatchFiniteDifferences() throws {
        var rng = SeededGenerator(seed: 3)
        let ae = try CausalVideoAutoencoder(configuration: Self.refined(width: 4), rng: &rng)
        // Move the zero-initialised output layer off zero so every refiner weight gets a gradient.
        let slots = Dictionary(uniqueKeysWithValues: ae.namedParameterSlots().map { ($0.path, $0.parameter) })
        slots["refiner.out.weight"]!.value = try Tensor.uniform(slots["refiner.out.weight"]!.value.shape, low: -0.2, high: 0.2, seed: 4)
        ae.freeze()
        ae.unfreeze("refiner")
        let video = try Tensor.uniform([1, 5, 16, 16, 3], low: -1, high: 1, seed: 5)
        let reference = try Tensor.uniform([1, 1, 16, 16, 3], low: -1, high: 1, seed: 6)
        let (_, grads) = try valueAndGrad(ae) { m in try m.refinementLoss(video, reference: reference) }
        #expect(grads.keys.allSatisfy { $0.hasPrefix("refiner.") } && grads.count == 10)
        for path in ["refiner.inConv.weight", "refiner.down.weight", "refiner.fuse.bias", "refiner.out.weight"] {
            let slot = slots[path]!, analytic = grads[path]!.scalars
            for index in [0, slot.value.count / 2, slot.value.count - 1] {
                let original = slot.value
                func loss(_ delta: Float) throws -> Double {
                    var values = original.scalars
                    values[index] += delta
                    slot.value = try Tensor(values, shape: original.shape)
                    defer { slot.value = original }
                    return Double(try noGrad { try ae.refinementLoss(video, reference: reference) }.item())
                }
                let numeric = (try loss(1e-2) - loss(-1e-2)) / 2e-2
                #expect(abs(numeric - Double(analytic[index])) < 2e-3 + 0.05 * abs(numeric), "\(path)[\(index)]")
            }
        }
    }

    @Test("training the refiner lowers the reconstruction error on a handful of clips; nothing else changes")
    func overfits() throws {
        let config = Self.refined()
        let model = try ProphetModel(configuration: config, seed: 7)
        let before = model.parameters()
        let data = try SquareEpisodes.dataset(count: 3, config: config)
        var options = ReferenceRefinerTrainer.Options()
        options.steps = 40
        options.batch = 1
        options.learningRate = 5e-3
        let trainer = try ReferenceRefinerTrainer(model: model, datasets: [data], options: options, seed: 8)
        var losses: [Float] = []
        while !trainer.done { losses.append(try trainer.trainingStep()) }
        let first = losses.prefix(5).reduce(0, +) / 5, last = losses.suffix(5).reduce(0, +) / 5
        #expect(last < 0.5 * first, "refiner loss \(first) → \(last)")
        for (key, value) in model.parameters() where !key.hasPrefix("autoencoder.refiner.") {
            #expect(value.scalars == before[key]!.scalars, "\(key) must stay frozen")
        }
    }

    @Test("a trainer for a model without a refiner is a typed error")
    func needsRefiner() throws {
        let model = try ProphetModel(configuration: .tiny, seed: 1)
        let data = try SquareEpisodes.dataset(count: 1)
        #expect(throws: ValidationError.self) {
            _ = try ReferenceRefinerTrainer(model: model, datasets: [data], options: .init(), seed: 0)
        }
        var bad = ProphetConfiguration.tiny
        bad.referenceRefinerWidth = 0
        #expect(throws: ValidationError.self) { try bad.validate() }
    }

    @Test("a run without a refiner loads into a refined model only when asked; old configs decode without one")
    func loading() throws {
        let plain = try ProphetModel(configuration: .tiny, seed: 1)
        let refined = try ProphetModel(configuration: Self.refined(), seed: 2)
        #expect(throws: TensorError.self) { try refined.load(parameters: plain.parameters()) }
        try refined.load(parameters: plain.parameters(), allowingMissingRefiner: true)
        #expect(refined.autoencoder.parameters()["up3.weight"]!.scalars == plain.autoencoder.parameters()["up3.weight"]!.scalars)
        var missingOther = plain.parameters()
        missingOther["autoencoder.up3.weight"] = nil
        #expect(throws: TensorError.self) { try refined.load(parameters: missingOther, allowingMissingRefiner: true) }
        var json = String(decoding: try JSONEncoder().encode(ProphetConfiguration.tiny), as: UTF8.self)
        json = json.replacingOccurrences(of: "\"referenceRefinerWidth\":null,", with: "")
        #expect(try JSONDecoder().decode(ProphetConfiguration.self, from: Data(json.utf8)).referenceRefinerWidth == nil)
    }

    @Test("the port sharpens against the context's first frame (the rollout's real start)")
    func portUsesFirstFrame() async throws {
        let config = Self.refined()
        let model = try ProphetModel(configuration: config, seed: 9)
        var weights = model.parameters()
        weights["autoencoder.refiner.out.weight"] = try Tensor.uniform(weights["autoencoder.refiner.out.weight"]!.shape, low: -0.3, high: 0.3, seed: 10)
        try model.load(parameters: weights)
        let port = ProphetWorldModel(model: model, sampler: try KarrasSampler(steps: 2, rule: .euler))
        let frames = try (0..<3).map { i in
            try RGBImage(width: 32, height: 32, pixels: (0..<(32 * 32 * 3)).map { UInt8(($0 * (7 + i * 13)) % 251) })
        }
        let actions = try ActionChunk(steps: config.chunkFrames, maxEffectors: 1,
                                      values: [Float](repeating: 0.01, count: config.chunkFrames * 7), validity: [true])
        // Same current frame, same (empty) history; only the first frame differs.
        let a = try await port.predict(context: WorldModelContext(frames: [frames[0], frames[2]]), actions: actions, seed: 1)
        let b = try await port.predict(context: WorldModelContext(frames: [frames[1], frames[2]]), actions: actions, seed: 1)
        let c = try await port.predict(context: WorldModelContext(frames: [frames[0], frames[2]]), actions: actions, seed: 1)
        #expect(a.frames != b.frames)
        #expect(a.frames == c.frames)
    }
}
