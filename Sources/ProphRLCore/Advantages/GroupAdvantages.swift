import RealModule

/// GRPO group-normalised advantages `Â_g = (R_g − mean_G R) / (std_G R + eps)` (rl-math.md §6).
///
/// Rollouts are grouped consecutively: rollouts `g·G ..< (g+1)·G` share an initial state and instruction.
///
/// ```swift
/// let result = try GroupAdvantages.compute(rewards: [1, 0, 0, 1, 1, 0, 0, 0], groupSize: 8)
/// result.advantages[0]        // 1.2907278371
/// result.allEqualGroupCount   // 0
/// ```
public enum GroupAdvantages {
    /// How advantages are normalised.
    public struct Configuration: Sendable, Equatable {
        /// Delta degrees of freedom of the std: 0 = population (default, Flow-GRPO), 1 = sample (RLinf).
        public var ddof: Int
        /// Added to the std (default 1e-4).
        public var epsilon: Double
        /// Optional symmetric clamp of the advantages (Flow-GRPO's `adv_clip_max`); nil = off (default).
        public var clamp: Double?
        /// Whether all-equal groups are dropped from the update (default false: kept, they count in the normaliser).
        public var dropAllEqualGroups: Bool

        /// The defaults of rl-math.md §6.
        public init(ddof: Int = 0, epsilon: Double = 1e-4, clamp: Double? = nil, dropAllEqualGroups: Bool = false) {
            self.ddof = ddof
            self.epsilon = epsilon
            self.clamp = clamp
            self.dropAllEqualGroups = dropAllEqualGroups
        }
    }

    /// Advantages plus the report on all-equal groups.
    public struct Result: Sendable, Equatable {
        /// One advantage per rollout (0 for every rollout of an all-equal group).
        public var advantages: [Double]
        /// Number of groups.
        public var groupCount: Int
        /// Indices of the groups whose rewards are all equal (no policy gradient from them).
        public var allEqualGroups: [Int]
        /// Per rollout: whether it enters the update (false only for dropped all-equal groups).
        public var included: [Bool]

        /// How many groups are all-equal.
        public var allEqualGroupCount: Int { allEqualGroups.count }
        /// The fraction of groups that are all-equal.
        public var allEqualFraction: Double { Double(allEqualGroups.count) / Double(groupCount) }
    }

    /// Normalises `rewards` within consecutive groups of `groupSize`.
    /// - Throws: ``ValidationError`` if `rewards` is empty or not finite, `groupSize < 2`, the count is not a
    ///   multiple of `groupSize`, `ddof` is not 0 or 1, or `epsilon`/`clamp` are negative or not finite.
    public static func compute(rewards: [Double], groupSize: Int,
                               configuration: Configuration = Configuration()) throws -> Result {
        guard !rewards.isEmpty else { throw ValidationError.empty(argument: "rewards") }
        try Validate.finite(rewards, "rewards")
        guard groupSize >= 2 else {
            throw ValidationError.outOfRange(argument: "groupSize", expected: ">= 2 (a group of one has no spread)",
                                             actual: Double(groupSize))
        }
        guard rewards.count % groupSize == 0 else {
            throw ValidationError.shapeMismatch(argument: "rewards", expected: "a multiple of groupSize \(groupSize)",
                                                actual: "\(rewards.count) rewards")
        }
        guard configuration.ddof == 0 || configuration.ddof == 1 else {
            throw ValidationError.outOfRange(argument: "ddof", expected: "0 or 1", actual: Double(configuration.ddof))
        }
        try Validate.finite(configuration.epsilon, "epsilon")
        guard configuration.epsilon >= 0 else {
            throw ValidationError.outOfRange(argument: "epsilon", expected: ">= 0", actual: configuration.epsilon)
        }
        if let clamp = configuration.clamp { try Validate.positive(clamp, "clamp") }

        var advantages = [Double](repeating: 0, count: rewards.count)
        var included = [Bool](repeating: true, count: rewards.count)
        var allEqual: [Int] = []
        let groupCount = rewards.count / groupSize
        for group in 0..<groupCount {
            let range = (group * groupSize)..<((group + 1) * groupSize)
            let slice = rewards[range]
            if let first = slice.first, slice.allSatisfy({ $0 == first }) {
                allEqual.append(group)
                if configuration.dropAllEqualGroups { for i in range { included[i] = false } }
                continue   // advantages stay exactly 0
            }
            let mean = slice.reduce(0, +) / Double(groupSize)
            let squares = slice.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            let std = (squares / Double(groupSize - configuration.ddof)).squareRoot()
            for i in range {
                var a = (rewards[i] - mean) / (std + configuration.epsilon)
                if let clamp = configuration.clamp { a = min(max(a, -clamp), clamp) }
                advantages[i] = a
            }
        }
        return Result(advantages: advantages, groupCount: groupCount, allEqualGroups: allEqual, included: included)
    }
}
