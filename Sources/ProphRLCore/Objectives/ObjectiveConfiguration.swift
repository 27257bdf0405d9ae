/// The settings shared by the policy objectives (rl-math.md §8, §11 defaults).
public struct ObjectiveConfiguration: Sendable, Equatable {
    /// How the masked sum of surrogate terms is normalised.
    public enum Normalizer: String, Sendable, Equatable, CaseIterable {
        /// Divide by the number of valid terms in the minibatch (default; RLinf `token-mean`).
        case maskedMean
        /// No division.
        case maskedSum
        /// Mean over each rollout's valid terms, then mean over rollouts that have any.
        case perRolloutMean
    }

    /// PPO clip ε (default 0.2, symmetric).
    public var clipEpsilon: Double
    /// KL coefficient β (default 0.01; 0 disables the term).
    public var klCoefficient: Double
    /// The normaliser (default masked mean).
    public var normalizer: Normalizer

    /// The defaults of rl-math.md §11.
    public init(clipEpsilon: Double = 0.2, klCoefficient: Double = 0.01, normalizer: Normalizer = .maskedMean) {
        self.clipEpsilon = clipEpsilon
        self.klCoefficient = klCoefficient
        self.normalizer = normalizer
    }

    /// Throws ``ValidationError`` if ε is not in (0, 1) or β is negative or not finite.
    public func validate() throws {
        try Validate.finite(clipEpsilon, "clipEpsilon")
        guard clipEpsilon > 0, clipEpsilon < 1 else {
            throw ValidationError.outOfRange(argument: "clipEpsilon", expected: "in (0, 1)", actual: clipEpsilon)
        }
        try Validate.finite(klCoefficient, "klCoefficient")
        guard klCoefficient >= 0 else {
            throw ValidationError.outOfRange(argument: "klCoefficient", expected: ">= 0", actual: klCoefficient)
        }
    }

    /// Per-rollout factors `1/N` such that the loss is `Σ_b factor_b · Σ_{valid terms of b}`, for
    /// `termsPerPosition` surrogate terms per valid `(b, s, c)`.
    func rolloutScales(mask: TerminationMask, termsPerPosition: Int) -> [Double] {
        let lengths = mask.episodeLengths
        switch normalizer {
        case .maskedSum:
            return [Double](repeating: 1, count: lengths.count)
        case .maskedMean:
            let total = Double(lengths.reduce(0, +) * termsPerPosition)
            return [Double](repeating: 1 / total, count: lengths.count)
        case .perRolloutMean:
            let active = Double(lengths.filter { $0 > 0 }.count)
            return lengths.map { $0 == 0 ? 0 : 1 / (active * Double($0 * termsPerPosition)) }
        }
    }
}
