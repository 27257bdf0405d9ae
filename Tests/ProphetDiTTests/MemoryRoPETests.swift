import Foundation
@testable import ProphetDiT
import ProphRLCore
import TensorEngine
import Testing

/// RoPE on the memory keys (world-model.md §4.2): pooled positions, the switch, and old runs reading as off.
@Suite("Memory RoPE")
struct MemoryRoPETests {
    @Test("Pooled tokens sit at the centres of their blocks; history latent j at j − 15")
    func positions() throws {
        let p64 = HistoryMemory.tokenPositions(latentHeight: 8, latentWidth: 8)
        #expect(p64.count == 23 && p64.count == HistoryMemory.tokenCount(latentHeight: 8, latentWidth: 8))
        #expect(p64[0..<3].map { $0 } == [[-13.5, 1.5, 1.5], [-9.5, 1.5, 1.5], [-5.5, 1.5, 1.5]])
        #expect(p64[3..<7].map { $0 } == [[-2.5, 0.5, 0.5], [-2.5, 0.5, 2.5], [-2.5, 2.5, 0.5], [-2.5, 2.5, 2.5]])
        #expect(p64[7] == [-1, 0, 0] && p64[22] == [-1, 3, 3])
        // 96×96: a 6×6 patch grid pooled by 4 has a replicate-padded block (cells 4, 5, 5, 5 → 4.75).
        let p96 = HistoryMemory.tokenPositions(latentHeight: 12, latentWidth: 12)
        #expect(p96.count == 57 && p96.count == HistoryMemory.tokenCount(latentHeight: 12, latentWidth: 12))
        #expect(p96[0] == [-13.5, 1.5, 1.5] && p96[3] == [-13.5, 4.75, 4.75])
    }

    @Test("The switch changes the output only through the memory; runs saved without it decode as off")
    func switchAndCompatibility() throws {
        var off = DiTFixture.config
        off.memoryRoPE = false
        var on = off
        on.memoryRoPE = true
        var rngA = SeededGenerator(seed: 41), rngB = SeededGenerator(seed: 41)
        let a = try ProphetDenoiser(configuration: off, rng: &rngA), b = try ProphetDenoiser(configuration: on, rng: &rngB)
        try DiTFixture.perturb(a, seed: 42)
        try DiTFixture.perturb(b, seed: 42)
        let batch = try DiTFixture.batch(seed: 43)
        let withOff = try noGrad { try DiTFixture.call(a, batch) }, withOn = try noGrad { try DiTFixture.call(b, batch) }
        #expect(withOff.scalars != withOn.scalars, "rotated memory keys change attention")
        #expect(withOn.scalars.allSatisfy { $0.isFinite })

        var old = try JSONEncoder().encode(off)
        var object = try #require(JSONSerialization.jsonObject(with: old) as? [String: Any])
        object.removeValue(forKey: "memoryRoPE")
        old = try JSONSerialization.data(withJSONObject: object)
        let decoded = try JSONDecoder().decode(ProphetConfiguration.self, from: old)
        #expect(decoded.memoryRoPE == nil && !decoded.rotatesMemoryKeys)
        #expect(ProphetConfiguration.defaultA.rotatesMemoryKeys, "new runs rotate memory keys")
    }
}
