import ProphRLCore
@testable import ProphetDiT
import TensorEngine
import Testing

@Suite("DiT training set export")
struct DiTTrainingSetTests {
    /// Values of an f16 or f32 tensor.
    static func values(_ tensor: NamedTensor) throws -> [Float] {
        if tensor.dtype == .f32 { return try tensor.floats() }
        return stride(from: 0, to: tensor.bytes.count, by: 2).map {
            Float(Float16(bitPattern: UInt16(tensor.bytes[$0]) | UInt16(tensor.bytes[$0 + 1]) << 8))
        }
    }

    static func integers(_ tensor: NamedTensor) -> [Int] {
        stride(from: 0, to: tensor.bytes.count, by: 8).map { offset in
            (0..<8).reduce(0) { $0 | Int(tensor.bytes[offset + $1]) << (8 * $1) }
        }
    }

    @Test("every trainer sample is rebuilt from the exported tensors (latents within f16 rounding, actions exactly)")
    func samplesRoundTrip() throws {
        var config = ProphetConfiguration.tiny
        config.chunkFrames = 4
        let model = try ProphetModel(configuration: config, seed: 3)
        let first = try SquareEpisodes.dataset(count: 2, steps: 13, config: config)
        let second = try SquareEpisodes.dataset(count: 1, steps: 20, config: config)
        try model.autoencoder.setLatentStatistics(mean: (0..<16).map { Float($0) * 0.01 }, std: (0..<16).map { 0.5 + Float($0) * 0.1 })
        let named = try DiTTrainingSet.tensors([first, second], autoencoder: model.autoencoder)
        let byName = Dictionary(uniqueKeysWithValues: named.map { ($0.name, $0) })
        #expect(byName["action_frame_latents"] == nil)
        let groups = try Self.values(#require(byName["group_latents"])), singles = try Self.values(#require(byName["single_latents"]))
        let actions = try Self.values(#require(byName["actions"]))
        let index = try ["clip_latent_offset", "clip_groups", "clip_action_offset", "clip_frames", "clip_dataset", "clip_starts"]
            .reduce(into: [String: [Int]]()) { $0[$1] = Self.integers(try #require(byName[$1])) }
        #expect(index["clip_dataset"] == [0, 0, 1])
        #expect(index["clip_frames"] == [14, 14, 21])
        #expect(index["clip_groups"] == [3, 3, 5])
        let latentSize = config.latentHeight * config.latentWidth * config.latentChannels
        var checked = 0
        for (datasetIndex, dataset) in [first, second].enumerated() {
            for clip in 0..<dataset.episodeCount {
                let row = datasetIndex == 0 ? clip : 2
                let latentOffset = index["clip_latent_offset"]![row], actionOffset = index["clip_action_offset"]![row]
                for start in ProphetDataset.chunkStarts(dataset.clips[clip], config) {
                    let expected = dataset.sample(clip, start: start), m = start / 4
                    func latent(_ source: [Float], _ g: Int) -> ArraySlice<Float> {
                        source[((latentOffset + g) * latentSize)..<((latentOffset + g + 1) * latentSize)]
                    }
                    var rebuilt = Array(latent(singles, m))
                    for g in (m + 1)...(m + config.chunkFrames / 4) { rebuilt += latent(groups, g) }
                    var history: [Float] = []
                    for g in (m - config.historyLatents + 1)...m {
                        history += g >= 1 ? Array(latent(groups, g)) : [Float](repeating: 0, count: latentSize)
                    }
                    let rows = Array(actions[((actionOffset + start) * 7)..<((actionOffset + start + config.chunkFrames) * 7)])
                    #expect(rebuilt.count == expected.latents.count && history.count == expected.history.count)
                    let worst = zip(rebuilt + history, expected.latents + expected.history).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 1
                    #expect(worst <= 1e-3, "latents differ by \(worst) at clip \(row) start \(start)")
                    #expect(rows == expected.actions)
                    checked += 1
                }
            }
        }
        #expect(checked == first.chunkCount + second.chunkCount && checked == 3 + 3 + 5)
    }

    @Test("no dataset is a typed error")
    func empty() throws {
        let model = try ProphetModel(configuration: .tiny, seed: 1)
        #expect(throws: ValidationError.self) { _ = try DiTTrainingSet.tensors([], autoencoder: model.autoencoder) }
    }
}
