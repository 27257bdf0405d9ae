import Testing
@testable import ProphRLCore

@Suite("Rank agreement (AUC) of scores against labels")
struct RankAgreementTests {
    /// The definition, pair by pair: O(n²), ties half.
    func naive(_ scores: [Double], _ labels: [Bool], groups: [Range<Int>]) -> Double? {
        var ordered = 0.0, pairs = 0.0
        for group in groups {
            for i in group where labels[i] {
                for j in group where !labels[j] {
                    pairs += 1
                    ordered += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0
                }
            }
        }
        return pairs > 0 ? ordered / pairs : nil
    }

    @Test func smallCasesByHand() throws {
        #expect(RankAgreement.overall(scores: [0.9, 0.2, 0.4], labels: [true, false, true]) == 1)
        #expect(RankAgreement.overall(scores: [0.1, 0.8], labels: [true, false]) == 0)
        #expect(RankAgreement.overall(scores: [0.5, 0.5, 0.5], labels: [true, false, false]) == 0.5)
        // successes 0.3, 0.7; failures 0.3, 0.5: pairs (0.3|0.3 tie), (0.3<0.5), (0.7>0.3), (0.7>0.5) → 2.5 / 4
        #expect(RankAgreement.overall(scores: [0.3, 0.7, 0.3, 0.5], labels: [true, true, false, false]) == 0.625)
    }

    @Test func withinGroupsIgnoresPairsAcrossGroups() throws {
        // Group 1 is ordered right, group 2 reversed; over all four pairs three are ordered right.
        let scores = [0.9, 0.2, 0.3, 0.4], labels = [true, false, true, false]
        #expect(RankAgreement.withinGroups(scores: scores, labels: labels, groupSize: 2) == 0.5)
        #expect(RankAgreement.overall(scores: scores, labels: labels) == 0.75)
        // A group of one class adds no pair.
        #expect(RankAgreement.withinGroups(scores: [0.9, 0.1, 0.4, 0.6], labels: [true, false, true, true], groupSize: 2) == 1)
    }

    @Test func undefinedCasesAreNil() throws {
        #expect(RankAgreement.overall(scores: [0.1, 0.2], labels: [true, true]) == nil)
        #expect(RankAgreement.overall(scores: [], labels: []) == nil)
        #expect(RankAgreement.overall(scores: [0.1], labels: [true, false]) == nil)
        #expect(RankAgreement.overall(scores: [.nan, 0.2], labels: [true, false]) == nil)
        #expect(RankAgreement.withinGroups(scores: [0.1, 0.2, 0.3], labels: [true, false, true], groupSize: 2) == nil)
        #expect(RankAgreement.withinGroups(scores: [0.1, 0.2], labels: [true, false], groupSize: 0) == nil)
        #expect(RankAgreement.withinGroups(scores: [0.1, 0.2, 0.3, 0.4], labels: [true, true, false, false], groupSize: 2) == nil)
    }

    @Test func matchesThePairwiseDefinitionOnRandomScoresWithTies() throws {
        var rng = SeededGenerator(seed: 11)
        for trial in 0..<40 {
            let groupSize = 1 + trial % 8, count = groupSize * (1 + trial % 5)
            // Scores on a coarse grid so that ties occur, labels with a trial-dependent base rate.
            let scores = (0..<count).map { _ in Double(Int.random(in: 0...6, using: &rng)) / 6 }
            let labels = (0..<count).map { _ in Double.random(in: 0..<1, using: &rng) < 0.2 + 0.015 * Double(trial) }
            let groups = stride(from: 0, to: count, by: groupSize).map { $0..<($0 + groupSize) }
            let pooled = RankAgreement.withinGroups(scores: scores, labels: labels, groupSize: groupSize)
            let all = RankAgreement.overall(scores: scores, labels: labels)
            #expect(pooled == nil ? naive(scores, labels, groups: groups) == nil
                                  : abs(pooled! - naive(scores, labels, groups: groups)!) < 1e-12)
            #expect(all == nil ? naive(scores, labels, groups: [0..<count]) == nil
                               : abs(all! - naive(scores, labels, groups: [0..<count])!) < 1e-12)
        }
    }
}
