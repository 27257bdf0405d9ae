import ProphRL
import ProphRLCore
import Testing

@Suite("Reward control: each group's rewards permuted among its rollouts")
struct RewardControlTests {
    /// Four groups of eight distinct rewards.
    static let rewards: [Double] = (0..<32).map { Double($0 / 8) * 10 + Double($0 % 8) }

    @Test("none leaves the rewards as they are")
    func none() throws {
        #expect(try RewardControl.none.apply(to: Self.rewards, groupSize: 8, seed: 3, iteration: 0) == Self.rewards)
    }

    @Test("Each group keeps exactly its own values, in a new order that the seed and iteration determine")
    func permutesWithinGroups() throws {
        let shuffled = try RewardControl.shuffledInGroups.apply(to: Self.rewards, groupSize: 8, seed: 3, iteration: 0)
        for g in 0..<4 {
            let range = (g * 8)..<(g * 8 + 8)
            #expect(shuffled[range].sorted() == Array(Self.rewards[range]), "group \(g)")
        }
        #expect(shuffled != Self.rewards)
        #expect(try RewardControl.shuffledInGroups.apply(to: Self.rewards, groupSize: 8, seed: 3, iteration: 0) == shuffled)
        #expect(try RewardControl.shuffledInGroups.apply(to: Self.rewards, groupSize: 8, seed: 3, iteration: 1) != shuffled)
        #expect(try RewardControl.shuffledInGroups.apply(to: Self.rewards, groupSize: 8, seed: 4, iteration: 0) != shuffled)
    }

    @Test("Over many iterations a rollout's credited reward does not depend on what it earned")
    func uninformative() throws {
        // Where does the group's best reward land? Uniform over the 8 slots if the shuffle carries no information.
        var landed = [Int](repeating: 0, count: 8)
        var matches = 0
        let iterations = 1600
        for i in 0..<iterations {
            let shuffled = try RewardControl.shuffledInGroups.apply(to: Self.rewards, groupSize: 8, seed: 11, iteration: i)
            for g in 0..<4 {
                let group = Array(shuffled[(g * 8)..<(g * 8 + 8)])
                landed[group.firstIndex(of: group.max()!)!] += 1
            }
            matches += zip(shuffled, Self.rewards).filter { $0 == $1 }.count
        }
        let expected = Double(iterations * 4) / 8   // 800 per slot; binomial std ≈ 26
        for (slot, count) in landed.enumerated() {
            #expect(abs(Double(count) - expected) < 6 * 26, "slot \(slot): \(count) of \(iterations * 4)")
        }
        // A random permutation has one fixed point per group on average: 1/8 of the rollouts keep their own reward.
        let fixedFraction = Double(matches) / Double(iterations * 32)
        #expect(abs(fixedFraction - 0.125) < 0.01, "fixed fraction \(fixedFraction)")
    }

    @Test("A group size that does not divide the rewards is a typed error")
    func badGroupSize() {
        #expect(throws: ValidationError.self) {
            try RewardControl.shuffledInGroups.apply(to: Self.rewards, groupSize: 5, seed: 0, iteration: 0)
        }
        #expect(throws: ValidationError.self) {
            try RewardControl.shuffledInGroups.apply(to: Self.rewards, groupSize: 0, seed: 0, iteration: 0)
        }
    }
}
