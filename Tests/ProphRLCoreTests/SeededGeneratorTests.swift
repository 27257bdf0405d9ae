import Testing
@testable import ProphRLCore

@Suite("Seeded random numbers")
struct SeededGeneratorTests {
    @Test("SplitMix64 matches the reference outputs for seed 0")
    func splitMixReference() {
        var mixer = SplitMix64(state: 0)
        #expect(mixer.next() == 0xE220_A839_7B1D_CDAF)
        #expect(mixer.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(mixer.next() == 0x06C4_5D18_8009_454F)
    }

    @Test("xoshiro256** matches the reference outputs from state {1, 2, 3, 4}")
    func xoshiroReference() throws {
        var rng = try SeededGenerator(state: [1, 2, 3, 4])
        #expect(rng.next() == 11520)
        #expect(rng.next() == 0)
        #expect(rng.next() == 1_509_978_240)
        #expect(rng.next() == 1_215_971_899_390_074_240)
    }

    @Test("Saved state resumes the same stream")
    func stateRoundTrip() throws {
        var a = SeededGenerator(seed: 7)
        _ = (0..<10).map { _ in a.nextGaussian() }
        var b = try SeededGenerator(state: a.state)
        for _ in 0..<100 { #expect(a.next() == b.next()) }
    }

    @Test("Gaussian samples have mean 0 and variance 1 within sampling error")
    func gaussianMoments() {
        var rng = SeededGenerator(seed: 123)
        let n = 200_000
        var sum = 0.0, sumSquares = 0.0
        for _ in 0..<n { let x = rng.nextGaussian(); sum += x; sumSquares += x * x }
        let mean = sum / Double(n)
        let variance = sumSquares / Double(n) - mean * mean
        #expect(abs(mean) < 0.01)        // 4.5 standard errors
        #expect(abs(variance - 1) < 0.015)
    }

    @Test("Bad saved states are rejected with typed errors")
    func badState() {
        #expect(throws: ValidationError.self) { try SeededGenerator(state: [1, 2]) }
        #expect(throws: ValidationError.invalid(argument: "state", reason: "all-zero state is a fixed point of xoshiro256**")) {
            try SeededGenerator(state: [0, 0, 0, 0])
        }
    }

    @Test("Forked streams differ from each other and are reproducible")
    func forks() {
        let root = SeededGenerator(seed: 99)
        var a = root.fork(1), b = root.fork(2), a2 = root.fork(1)
        let x = a.next()
        #expect(x != b.next())
        #expect(x == a2.next())
    }
}
