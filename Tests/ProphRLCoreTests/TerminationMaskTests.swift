import ProphRLCore
import Testing

@Suite("Termination mask M[b, s, c] (rl-math.md §7)")
struct TerminationMaskTests {
    @Test("The done position is valid, everything after it is masked")
    func doneIncluded() throws {
        // S = 2, CH = 3; done at i* = 1 (s 0, c 1).
        let mask = try TerminationMask(positionDone: [[false, true, false, false, false, false]], outerSteps: 2, chunk: 3)
        #expect(mask.valid == [true, true, false, false, false, false])
        #expect(mask.episodeLengths == [2])
    }

    @Test("Done on the last position of chunk s masks all of chunk s + 1 (off-by-one)")
    func chunkBoundary() throws {
        let mask = try TerminationMask(positionDone: [[false, false, true, false, false, false]], outerSteps: 2, chunk: 3)
        #expect(mask.valid == [true, true, true, false, false, false])
        #expect(!mask.isValid(b: 0, s: 1, c: 0))
    }

    @Test("Chunk-level done keeps the whole terminating chunk and masks later chunks")
    func chunkLevel() throws {
        let mask = try TerminationMask(chunkDone: [[false, true, false], [false]], outerSteps: 3, chunk: 2)
        #expect(mask.valid == [true, true, true, true, false, false,
                               true, true, false, false, false, false])
        #expect(mask.episodeLengths == [4, 2])
    }

    @Test("Without a done flag every executed position is valid; padding never is")
    func padding() throws {
        let mask = try TerminationMask(positionDone: [[false, false, false], []], outerSteps: 2, chunk: 2)
        #expect(mask.valid == [true, true, true, false, false, false, false, false])
        RL.expectClose(mask.maskedFraction, 5.0 / 8.0, "masked fraction")
    }

    @Test("Invariant 6 on random done flags: never valid after the first done, always valid at it")
    func randomInvariant() throws {
        var rng = SeededGenerator(seed: 17)
        for _ in 0..<200 {
            let S = 1 + Int(rng.nextUniform() * 4), CH = 1 + Int(rng.nextUniform() * 5)
            let executed = Int(rng.nextUniform() * Double(S * CH + 1))
            let flags = (0..<executed).map { _ in rng.nextUniform() < 0.15 }
            let mask = try TerminationMask(positionDone: [flags], outerSteps: S, chunk: CH)
            let first = flags.firstIndex(of: true)
            for i in 0..<(S * CH) {
                let expected = i < executed && (first.map { i <= $0 } ?? true)
                #expect(mask.valid[i] == expected)
            }
        }
    }

    @Test("Bad input throws typed errors")
    func errors() {
        #expect(throws: ValidationError.self) { try TerminationMask(positionDone: [], outerSteps: 1, chunk: 1) }
        #expect(throws: ValidationError.self) {
            try TerminationMask(positionDone: [[false, false, false]], outerSteps: 1, chunk: 2)
        }
        #expect(throws: ValidationError.self) { try TerminationMask(batch: 2, outerSteps: 1, chunk: 2, valid: [true]) }
    }
}
