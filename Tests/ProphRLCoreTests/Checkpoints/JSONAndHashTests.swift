import ProphRLCore
import Testing

@Suite("JSON value")
struct JSONValueTests {
    @Test("Documents round-trip through text")
    func roundTrip() throws {
        let value: JSONValue = .object([
            ("s", .string("tab\t \"quote\" back\\slash \u{1} é 🤖")), ("i", .integer(-9_007_199_254_740_993)),
            ("d", .number(0.1)), ("tiny", .number(Double.leastNonzeroMagnitude)), ("a", .array([.null, .bool(true), .bool(false)])),
            ("o", .object([])),
        ])
        let text = value.serialized()
        #expect(try JSONValue.parse(text) == value)
        #expect(try JSONValue.parse(" [ 1 , 2.5e3 , -0.0 ] ") == .array([.integer(1), .number(2500), .number(-0.0)]))
        #expect(try JSONValue.parse(#""\u00e9\ud83e\udd16""#) == .string("é🤖"))
    }

    @Test("Malformed text is a JSONParseError with an offset", arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "01", "1.", "\"abc", "tru", "[1] x", "\"\\x\"", "1e400", "\"\\ud800\"",
    ])
    func malformed(text: String) {
        #expect(throws: JSONParseError.self) { _ = try JSONValue.parse(text) }
    }

    @Test("Deep nesting is refused instead of overflowing the stack")
    func depth() {
        #expect(throws: JSONParseError.self) { _ = try JSONValue.parse(String(repeating: "[", count: 10_000)) }
    }
}

@Suite("XXH64 checksum")
struct XXHash64Tests {
    // Reference digests from the xxHash project (empty and "abc" appear in its documentation) and, for
    // the longer input exercising every tail path, from Python's `xxhash` package (xxh64, seed 0/1).
    @Test("Matches the reference implementation")
    func vectors() {
        #expect(XXHash64.hash([]) == 0xEF46_DB37_51D8_E999)
        #expect(XXHash64.hash(Array("a".utf8)) == 0xD24E_C4F1_A98C_6E5B)
        #expect(XXHash64.hash(Array("abc".utf8)) == 0x44BC_2CF5_AD77_0999)
        #expect(XXHash64.hash(Array("abc".utf8), seed: 1) == 0xBEA9_CA81_9932_8908)
        let long = (0..<3).flatMap { _ in (0...255).map { UInt8($0) } } + Array("xyz".utf8)
        #expect(XXHash64.hash(long) == 0xE921_A1B4_5BD7_79F8)
    }

    @Test("A single flipped bit changes the digest")
    func sensitivity() {
        var rng = SeededGenerator(seed: 5)
        var bytes = (0..<1000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let before = XXHash64.hash(bytes)
        bytes[517] ^= 0x10
        #expect(XXHash64.hash(bytes) != before)
    }
}

@Suite("Retention policy")
struct RetentionPolicyTests {
    static func summaries(_ losses: [Double?]) -> [CheckpointSummary] {
        losses.enumerated().map { step, loss in
            CheckpointSummary(step: step * 10, wallTime: 0, metrics: loss.map { ["loss": $0] } ?? [:], tags: [], byteCount: 0)
        }
    }

    @Test("Keeps the newest N plus the best M by metric, and nothing else")
    func keepLastAndBest() throws {
        let all = Self.summaries([5, 1, 3, nil, 0.5, 4, 2, 9])   // steps 0...70
        let policy = try RetentionPolicy(keepLast: 2, keepBest: 2, metric: "loss", mode: .minimize)
        // newest two: 70, 60; best two by loss: 40 (0.5), 10 (1)
        #expect(policy.stepsToKeep(from: all) == [70, 60, 40, 10])
        #expect(policy.stepsToDelete(from: all) == [0, 20, 30, 50])
        let maximize = try RetentionPolicy(keepLast: 1, keepBest: 1, metric: "loss", mode: .maximize)
        #expect(maximize.stepsToKeep(from: all) == [70])            // step 70 is newest and best
        #expect(RetentionPolicy.best(of: all, metric: "loss", mode: .minimize)?.step == 40)
        #expect(RetentionPolicy.best(of: all, metric: "reward", mode: .minimize) == nil)
    }

    @Test("Ties go to the earlier step; bad policies are typed errors")
    func tiesAndValidation() throws {
        let all = Self.summaries([1, 1, 1])
        #expect(try RetentionPolicy(keepLast: 0, keepBest: 1, metric: "loss").stepsToKeep(from: all) == [0])
        #expect(throws: ValidationError.self) { _ = try RetentionPolicy(keepLast: 0) }
        #expect(throws: ValidationError.self) { _ = try RetentionPolicy(keepLast: -1) }
        #expect(throws: ValidationError.self) { _ = try RetentionPolicy(keepLast: 1, keepBest: 1) }
    }
}
