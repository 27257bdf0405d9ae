import ProphRLCore
import ProphRLTesting
import ProphetDiT
import TensorEngine
import Testing

@Suite("Karras sampler and Prophet model")
struct SamplerAndModelTests {
    /// For data x₀ ~ N(μ, s²) per element, the exact denoiser is μ + s²/(s²+σ²)(x − μ) and the probability-flow
    /// ODE has the closed form x(σ) − μ ∝ √(s² + σ²): an independent reference for the sampler.
    @Test("more steps bring the sampler closer to the closed-form ODE solution", arguments: KarrasSampler.Rule.allCases)
    func samplerConverges(rule: KarrasSampler.Rule) throws {
        let (mu, s2) = (0.3, 0.25)
        var rng = SeededGenerator(seed: 1)
        let noise = (0..<64).map { _ in Float(rng.nextGaussian()) }
        func error(steps: Int) throws -> Double {
            let sampler = try KarrasSampler(steps: steps, rule: rule)
            let out = try sampler.sample(noise: noise) { x, sigma in
                x.map { Float(mu + s2 / (s2 + sigma * sigma) * (Double($0) - mu)) }
            }
            let sigma = sampler.sigmas
            let (s0, sn) = (sigma[0], sigma[steps])
            return zip(out, noise).map { value, e in
                let xN = mu + (s2 + sn * sn).squareRoot() / (s2 + s0 * s0).squareRoot() * (s0 * Double(e) - mu)
                let exact = mu + s2 / (s2 + sn * sn) * (xN - mu)
                return abs(Double(value) - exact)
            }.max() ?? 0
        }
        let errors = try [5, 10, 35, 100].map(error(steps:))
        for i in 1..<errors.count { #expect(errors[i] < errors[i - 1], "\(errors)") }
        if rule == .multistep {
            // Second order pays off once the steps are small (a NumPy transcription agrees: 0.023 vs 0.091 at 35 steps).
            #expect(errors[3] < 1e-2)
            for steps in [35, 100] {
                #expect(try error(steps: steps) < (try KarrasSampler(steps: steps, rule: .euler)).sampleError(mu: mu, s2: s2, noise: noise))
            }
        }
    }

    @Test("the Karras schedule runs from 80 to 0.002 and steps below 1 are rejected")
    func schedule() throws {
        let sigmas = KarrasSampler.faithful.sigmas
        #expect(sigmas.count == 36)
        #expect(abs(sigmas[0] - 80) < 1e-9 && abs(sigmas[35] - 0.002) < 1e-12)
        #expect(zip(sigmas, sigmas.dropFirst()).allSatisfy { $0 > $1 })
        #expect(throws: ValidationError.self) { try KarrasSampler(steps: 0) }
    }

    static func model(seed: UInt64 = 3, config: ProphetConfiguration = .tiny) throws -> ProphetModel {
        let model = try ProphetModel(configuration: config, seed: seed)
        try DiTFixture.perturb(model.denoiser, seed: seed + 1)
        return model
    }

    @Test("frame replace: the conditioning latent comes back unchanged")
    func frameReplace() throws {
        let model = try Self.model()
        let cfg = model.configuration
        var rng = SeededGenerator(seed: 5)
        let condition = try Tensor.normal([2, 1, cfg.latentHeight, cfg.latentWidth, 16], using: &rng)
        let actions = try Tensor.normal([2, cfg.chunkFrames * 7], using: &rng)
        let out = try model.sampleChunk(condition: condition, history: nil, actions: actions,
                                        sampler: try KarrasSampler(steps: 3), seed: 6)
        #expect(out.shape == [2, cfg.latentFrames, cfg.latentHeight, cfg.latentWidth, 16])
        #expect(try out.slice(axis: 1, 0..<1).scalars == condition.scalars)
        #expect(try out.slice(axis: 1, 1..<2).scalars != condition.scalars)
    }

    @Test("batched long rollouts: shape 1 + chunks·T and the start frame kept")
    func rollout() throws {
        let model = try Self.model()
        let cfg = model.configuration
        var rng = SeededGenerator(seed: 7)
        let start = try Tensor.uniform([2, 1, cfg.height, cfg.width, 3], low: -1, high: 1, using: &rng)
        let chunks = try (0..<3).map { _ in try Tensor.normal([2, cfg.chunkFrames * 7], using: &rng) }
        let video = try model.rollout(start: start, actionChunks: chunks, sampler: try KarrasSampler(steps: 2), seed: 8)
        #expect(video.shape == [2, 1 + 3 * cfg.chunkFrames, cfg.height, cfg.width, 3])
        #expect(try video.slice(axis: 1, 0..<1).scalars == start.scalars)
        #expect(video.scalars.allSatisfy { $0 >= -1 && $0 <= 1 })
    }

    @Test("the WorldModel port contract holds and bad actions are typed errors")
    func portContract() async throws {
        let model = try Self.model()
        let cfg = model.configuration
        let worldModel = ProphetWorldModel(model: model, sampler: try KarrasSampler(steps: 2))
        let frame = try RGBImage(width: cfg.width, height: cfg.height, fill: (120, 80, 40))
        let actions = try ActionChunk(steps: cfg.chunkFrames, maxEffectors: 1,
                                      values: (0..<(cfg.chunkFrames * 7)).map { Float($0 % 7) * 0.01 }, validity: [true])
        let context = WorldModelContext(frames: Array(repeating: frame, count: 10))
        try await PortContracts.checkWorldModel(worldModel, context: context, actions: actions)
        let short = try ActionChunk(steps: 3, maxEffectors: 1, values: Array(repeating: 0, count: 21), validity: [true])
        await #expect(throws: ValidationError.self) { _ = try await worldModel.predict(context: context, actions: short, seed: 1) }
        let wide = try ActionChunk(steps: cfg.chunkFrames, maxEffectors: 2, values: Array(repeating: 0, count: cfg.chunkFrames * 14),
                                   validity: [true, true])
        await #expect(throws: ValidationError.self) { _ = try await worldModel.predict(context: context, actions: wide, seed: 1) }
    }

    @Test("saving and loading the parameters gives identical samples for the same seed")
    func saveLoad() throws {
        let model = try Self.model(seed: 11)
        let copy = try ProphetModel(configuration: .tiny, seed: 99)
        try copy.load(parameters: model.parameters())
        let cfg = model.configuration
        var rng = SeededGenerator(seed: 12)
        let start = try Tensor.uniform([1, 1, cfg.height, cfg.width, 3], low: -1, high: 1, using: &rng)
        let chunk = try Tensor.normal([1, cfg.chunkFrames * 7], using: &rng)
        let a = try model.rollout(start: start, actionChunks: [chunk], sampler: try KarrasSampler(steps: 2), seed: 4)
        let b = try copy.rollout(start: start, actionChunks: [chunk], sampler: try KarrasSampler(steps: 2), seed: 4)
        #expect(a.scalars == b.scalars)
        #expect(throws: (any Error).self) { try copy.load(parameters: ["denoiser.nope": Tensor.zeros([1])]) }
    }
}

extension KarrasSampler {
    fileprivate func sampleError(mu: Double, s2: Double, noise: [Float]) throws -> Double {
        let out = try sample(noise: noise) { x, sigma in x.map { Float(mu + s2 / (s2 + sigma * sigma) * (Double($0) - mu)) } }
        let sigma = sigmas
        let (s0, sn) = (sigma[0], sigma[steps])
        return zip(out, noise).map { value, e in
            let xN = mu + (s2 + sn * sn).squareRoot() / (s2 + s0 * s0).squareRoot() * (s0 * Double(e) - mu)
            return abs(Double(value) - (mu + s2 / (s2 + sn * sn) * (xN - mu)))
        }.max() ?? 0
    }
}
