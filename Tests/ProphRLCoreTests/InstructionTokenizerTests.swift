import ProphRLCore
import Testing

/// The hashed-word tokenizer against FNV-1a values computed independently (Python, 64-bit FNV-1a of the word's bytes).
@Suite("InstructionTokenizer")
struct InstructionTokenizerTests {
    @Test("Words are lower-cased, split on non-alphanumerics and hashed with 64-bit FNV-1a")
    func referenceIDs() {
        let tokenizer = InstructionTokenizer(vocabularySize: 1000)
        // Python: [fnv1a64(w) % 1000 for w in ["pick", "up", "the", "bottle"]] == [760, 592, 924, 265]
        #expect(tokenizer.ids("Pick up, the BOTTLE!") == [760, 592, 924, 265])
        #expect(InstructionTokenizer(vocabularySize: Int.max).ids("pick") == [Int(13_766_312_249_408_076_760 % UInt64(Int.max))])
    }

    @Test("An instruction without words maps to id 0; the vocabulary is at least one id")
    func degenerate() {
        #expect(InstructionTokenizer(vocabularySize: 64).ids("  ,.! ") == [0])
        #expect(InstructionTokenizer(vocabularySize: 0).vocabularySize == 1)
    }
}
