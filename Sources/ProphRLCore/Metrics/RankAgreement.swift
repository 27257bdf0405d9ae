/// How well a score (a judge's P(success), a reward) orders successes above failures: the area under the ROC curve.
///
/// Group-normalised advantages use a reward only through its order within each group, so a reward helps the policy
/// update exactly as far as it ranks each group's successes above its failures. ``withinGroups(scores:labels:groupSize:)``
/// measures that; ``overall(scores:labels:)`` is the usual AUC over all pairs. Both count a tie as half a pair
/// (the Mann–Whitney statistic): 1 is a perfect order, 0.5 no information, 0 a reversed order.
///
/// ```swift
/// RankAgreement.overall(scores: [0.9, 0.2, 0.4], labels: [true, false, true])          // 1.0
/// RankAgreement.withinGroups(scores: [0.9, 0.2, 0.3, 0.4], labels: [true, false, true, false], groupSize: 2)  // 0.5
/// ```
public enum RankAgreement {
    /// The AUC over every (success, failure) pair; nil when either class is absent or a score is not finite.
    public static func overall(scores: [Double], labels: [Bool]) -> Double? {
        guard scores.count == labels.count else { return nil }
        return pairFraction(scores: scores, labels: labels, groups: [0..<scores.count])
    }

    /// The AUC over the (success, failure) pairs that share a group of `groupSize` consecutive entries, pooled over
    /// the groups; nil when no group holds both classes, the counts do not divide, or a score is not finite.
    public static func withinGroups(scores: [Double], labels: [Bool], groupSize: Int) -> Double? {
        guard groupSize > 0, scores.count == labels.count, scores.count % groupSize == 0 else { return nil }
        let groups = stride(from: 0, to: scores.count, by: groupSize).map { $0..<($0 + groupSize) }
        return pairFraction(scores: scores, labels: labels, groups: groups)
    }

    /// Pairs ordered correctly (ties half) over all pairs, counted inside each range by sorting: O(n log n) per range.
    private static func pairFraction(scores: [Double], labels: [Bool], groups: [Range<Int>]) -> Double? {
        guard scores.allSatisfy(\.isFinite) else { return nil }
        var ordered = 0.0, pairs = 0.0
        for group in groups {
            let sorted = group.sorted { scores[$0] < scores[$1] }
            var failuresBelow = 0.0
            var index = 0
            while index < sorted.count {
                // A run of equal scores: its successes beat the failures below it and tie with the failures in it.
                var end = index
                while end < sorted.count && scores[sorted[end]] == scores[sorted[index]] { end += 1 }
                let run = sorted[index..<end]
                let successes = Double(run.filter { labels[$0] }.count)
                let failures = Double(run.count) - successes
                ordered += successes * (failuresBelow + failures / 2)
                failuresBelow += failures
                index = end
            }
            let successes = Double(group.filter { labels[$0] }.count)
            pairs += successes * (Double(group.count) - successes)
        }
        return pairs > 0 ? ordered / pairs : nil
    }
}
