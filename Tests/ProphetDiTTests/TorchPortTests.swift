import Foundation
@testable import ProphetDiT
import ProphRLCore
import TensorEngine
import Testing

/// The PyTorch port of the denoiser (scripts/prophet_dit_torch.py) against this one: Fixtures/prophet-dit holds a tiny
/// configuration's random weights (every path non-zero), a batch of inputs and the torch velocity
/// (scripts/prophet_dit_fixture.py). Any convention that differs (patch order, RoPE pairs and groups, memory pooling
/// and positions, modulation order, norms, GELU flavour, action normalisation) moves the output far beyond the bound.
@Suite("PyTorch port of the DiT")
struct TorchPortTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/prophet-dit/torch-forward.safetensors").path

    /// The Swift velocity for a fixture file, with the torch velocity and the Swift preparation of its raw actions.
    static func run(_ path: String) throws -> (swift: Tensor, torch: Tensor, prepared: [Float], torchPrepared: [Float]) {
        let (tensors, metadata) = try TensorSafetensors.read(path)
        let json = try #require(metadata["prophet"], "fixture metadata has the configuration")
        let configuration = try JSONDecoder().decode(ProphetConfiguration.self, from: Data(json.utf8))
        var rng = SeededGenerator(seed: 0)
        let model = try ProphetDenoiser(configuration: configuration, rng: &rng)
        var weights: [String: Tensor] = [:]
        for (name, value) in tensors where name.hasPrefix("denoiser.") { weights[String(name.dropFirst("denoiser.".count))] = value }
        try model.update(parameters: weights, strict: true)
        func input(_ name: String) throws -> Tensor { try #require(tensors["input." + name], "fixture has input.\(name)") }
        let velocity = try noGrad {
            try model(latent: input("latent"), actionFrameLatent: configuration.actionFrames ? input("action_frame_latent") : nil,
                      timesteps: input("timesteps"), actions: input("actions"),
                      history: configuration.historyMemory ? input("history") : nil)
        }
        return (velocity, try #require(tensors["output.velocity"]), model.preparedActions(try input("raw_actions").scalars),
                try input("actions").scalars)
    }

    static func check(_ path: String) throws {
        let (swift, torch, prepared, torchPrepared) = try run(path)
        #expect(swift.shape == torch.shape)
        let scale = max(1, torch.scalars.map(abs).max() ?? 0)
        let difference = zip(swift.scalars, torch.scalars).map { abs($0 - $1) }.max() ?? .infinity
        // Float32 here against float64 there differ by ~3e-7 of the scale; an exact-vs-tanh GELU in the blocks moves the
        // fixture's output by ~1e-4 of it, so the bound is 1e-5.
        #expect(difference <= 1e-5 * scale, "max |Δ| \(difference) over output scale \(scale) in \(path)")
        let actionDifference = zip(prepared, torchPrepared).map { abs($0 - $1) }.max() ?? .infinity
        #expect(actionDifference <= 1e-5 * max(1, torchPrepared.map(abs).max() ?? 0), "prepared actions differ by \(actionDifference)")
    }

    @Test("The Swift denoiser reproduces the PyTorch velocity of the fixture")
    func matchesTorchForward() throws {
        try Self.check(Self.fixture)
    }

    /// More fixtures (e.g. a real run's weights: `scripts/prophet_dit_fixture.py --weights export.safetensors --out f`)
    /// named in PROPHET_DIT_TORCH_FIXTURES, colon-separated; none by default.
    @Test("Extra fixtures named in PROPHET_DIT_TORCH_FIXTURES also match")
    func matchesExtraFixtures() throws {
        let paths = ProcessInfo.processInfo.environment["PROPHET_DIT_TORCH_FIXTURES"]?.split(separator: ":").map(String.init) ?? []
        for path in paths { try Self.check(path) }
    }
}
