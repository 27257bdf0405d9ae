import ProphRLCore
import Testing

@Suite("GRPO group advantages (rl-math.md §6, T4)")
struct GroupAdvantagesTests {
    let rewards: [Double] = [1, 0, 0, 1, 1, 0, 0, 0]

    @Test("T4: default ddof 0, eps 1e-4")
    func defaults() throws {
        let result = try GroupAdvantages.compute(rewards: rewards, groupSize: 8)
        for (r, a) in zip(rewards, result.advantages) {
            RL.expectClose(a, r == 1 ? 1.2907278371 : -0.7744367023, rtol: 1e-9, "Â")
        }
        #expect(result.allEqualGroupCount == 0)
    }

    @Test("T4: RLinf setting ddof 1, eps 1e-6")
    func sampleStd() throws {
        let result = try GroupAdvantages.compute(rewards: rewards, groupSize: 8,
                                                 configuration: .init(ddof: 1, epsilon: 1e-6))
        for (r, a) in zip(rewards, result.advantages) {
            RL.expectClose(a, r == 1 ? 1.2076123955 : -0.7245674373, rtol: 1e-9, "Â")
        }
    }

    @Test("T4: binary closed form for k successes of 8", arguments: 1...7)
    func binaryClosedForm(successes: Int) throws {
        let group = (0..<8).map { Double($0 < successes ? 1 : 0) }
        let result = try GroupAdvantages.compute(rewards: group, groupSize: 8, configuration: .init(epsilon: 0))
        let p = Double(successes) / 8
        RL.expectClose(result.advantages[0], ((1 - p) / p).squareRoot(), rtol: 1e-12, "Â_success")
        RL.expectClose(result.advantages[7], -(p / (1 - p)).squareRoot(), rtol: 1e-12, "Â_fail")
    }

    @Test("All-equal groups give exactly zero and are reported; dropping excludes them")
    func allEqual() throws {
        let mixed: [Double] = [1, 1, 1, 1, 0, 1, 0, 1, 0, 0, 0, 0]
        let kept = try GroupAdvantages.compute(rewards: mixed, groupSize: 4)
        #expect(kept.advantages[0..<4].allSatisfy { $0 == 0 })
        #expect(kept.advantages[8..<12].allSatisfy { $0 == 0 })
        #expect(kept.allEqualGroups == [0, 2])
        #expect(kept.allEqualGroupCount == 2)
        RL.expectClose(kept.allEqualFraction, 2.0 / 3.0, "fraction")
        #expect(kept.included.allSatisfy { $0 })
        let dropped = try GroupAdvantages.compute(rewards: mixed, groupSize: 4,
                                                  configuration: .init(dropAllEqualGroups: true))
        #expect(dropped.included == [false, false, false, false, true, true, true, true, false, false, false, false])
    }

    @Test("Invariant 4: advantages sum to zero in every group (random rewards)")
    func sumsToZero() throws {
        var rng = SeededGenerator(seed: 3)
        let rewards = (0..<64).map { _ in rng.nextGaussian() }
        let result = try GroupAdvantages.compute(rewards: rewards, groupSize: 8)
        for g in 0..<8 { #expect(abs(result.advantages[(g * 8)..<(g * 8 + 8)].reduce(0, +)) < 1e-12) }
    }

    @Test("Optional clamp bounds the advantages")
    func clamp() throws {
        let group: [Double] = [1, 0, 0, 0, 0, 0, 0, 0]
        let result = try GroupAdvantages.compute(rewards: group, groupSize: 8, configuration: .init(clamp: 2))
        #expect(result.advantages[0] == 2)
    }

    @Test("Bad input throws typed errors")
    func errors() {
        #expect(throws: ValidationError.empty(argument: "rewards")) { try GroupAdvantages.compute(rewards: [], groupSize: 8) }
        #expect(throws: ValidationError.nonFinite(argument: "rewards", index: 1, value: .infinity)) {
            try GroupAdvantages.compute(rewards: [0, .infinity], groupSize: 2)
        }
        #expect(throws: ValidationError.self) { try GroupAdvantages.compute(rewards: [0, .nan], groupSize: 2) }
        #expect(throws: ValidationError.self) { try GroupAdvantages.compute(rewards: [0, 1, 1], groupSize: 2) }
        #expect(throws: ValidationError.self) { try GroupAdvantages.compute(rewards: [0, 1], groupSize: 1) }
        #expect(throws: ValidationError.self) {
            try GroupAdvantages.compute(rewards: [0, 1], groupSize: 2, configuration: .init(ddof: 2))
        }
    }
}
