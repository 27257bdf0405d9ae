/// Flow end-point error and masked cosine similarity between a generated and a reference flow
/// field (flow-eval.md §4.1).
///
/// - EPE: mean over all pixels of `‖F^g(p) − F^r(p)‖₂`, in pixels.
/// - Cosine: mean over the mask `P = { p : ‖F^g(p)‖ > θ or ‖F^r(p)‖ > θ }` of
///   `⟨F^g, F^r⟩ / max(‖F^g‖·‖F^r‖, 1e-12)`; θ = ``defaultThreshold`` (0.1 px) unless given.
///   A pixel where one flow is exactly zero contributes 0; an empty mask gives no value.
/// - Per clip: EPE = mean over pairs; cosine = mean over pairs with a non-empty mask, the others
///   counted as skipped.
public enum FlowMetrics {
    /// Default magnitude threshold θ of the cosine mask, in pixels.
    public static let defaultThreshold = 0.1
    /// Lower bound of the cosine denominator.
    public static let denominatorFloor = 1e-12

    /// Which pixels enter the cosine mask.
    public enum CosineMask: String, Sendable, CaseIterable {
        /// `‖F^g‖ > θ or ‖F^r‖ > θ` — the spec's definition and the default.
        case eitherAboveThreshold
        /// `‖F^r‖ > θ` only — scores direction where the real video moves (an ablation).
        case referenceAboveThreshold
    }

    /// The cosine similarity of one pair of fields.
    public struct Cosine: Sendable, Equatable {
        /// Mean cosine over the mask; `nil` when no pixel entered it.
        public let value: Double?
        /// Number of pixels in the mask.
        public let pixelCount: Int
        /// The threshold θ used (report it with the number).
        public let threshold: Double
    }

    /// Flow scores of one clip (a sequence of consecutive-frame pairs).
    public struct ClipScores: Sendable, Equatable {
        /// Mean EPE over the pairs (pixels).
        public let endPointError: Double
        /// Mean cosine over the pairs with a non-empty mask; `nil` if every pair was skipped.
        public let cosine: Double?
        /// Number of pairs skipped for an empty cosine mask.
        public let skippedPairs: Int
        /// The threshold θ used.
        public let threshold: Double
    }

    /// Mean end-point error (pixels) between `generated` and `reference`.
    /// - Throws: ``ValidationError`` naming `reference` if the sizes differ, or the field holding a
    ///   non-finite value.
    public static func endPointError(generated: FlowField, reference: FlowField) throws -> Double {
        try check(generated: generated, reference: reference)
        var sum = 0.0
        for p in 0..<(generated.width * generated.height) {
            let dx = Double(generated.vectors[2 * p]) - Double(reference.vectors[2 * p])
            let dy = Double(generated.vectors[2 * p + 1]) - Double(reference.vectors[2 * p + 1])
            sum += (dx * dx + dy * dy).squareRoot()
        }
        return sum / Double(generated.width * generated.height)
    }

    /// Masked mean cosine similarity between `generated` and `reference` (default mask: either
    /// magnitude > θ).
    /// - Throws: ``ValidationError`` naming `threshold` if it is negative or not finite, `reference`
    ///   if the sizes differ, or the field holding a non-finite value.
    public static func cosineSimilarity(generated: FlowField, reference: FlowField,
                                        threshold: Double = defaultThreshold,
                                        mask: CosineMask = .eitherAboveThreshold) throws -> Cosine {
        try Validate.finite(threshold, "threshold")
        if threshold < 0 {
            throw ValidationError.outOfRange(argument: "threshold", expected: ">= 0 pixels", actual: threshold)
        }
        try check(generated: generated, reference: reference)
        var sum = 0.0
        var count = 0
        for p in 0..<(generated.width * generated.height) {
            let gx = Double(generated.vectors[2 * p]), gy = Double(generated.vectors[2 * p + 1])
            let rx = Double(reference.vectors[2 * p]), ry = Double(reference.vectors[2 * p + 1])
            let gNorm = (gx * gx + gy * gy).squareRoot(), rNorm = (rx * rx + ry * ry).squareRoot()
            let entered = mask == .eitherAboveThreshold ? (gNorm > threshold || rNorm > threshold) : rNorm > threshold
            guard entered else { continue }
            sum += (gx * rx + gy * ry) / max(gNorm * rNorm, denominatorFloor)
            count += 1
        }
        return Cosine(value: count > 0 ? sum / Double(count) : nil, pixelCount: count, threshold: threshold)
    }

    /// EPE and cosine of a clip: `generated[t]` and `reference[t]` are the flows of pair t.
    /// - Throws: ``ValidationError`` naming `generated` if it is empty, `reference` if the counts
    ///   or sizes differ, `threshold` if invalid, or a field holding a non-finite value.
    public static func clipScores(generated: [FlowField], reference: [FlowField],
                                  threshold: Double = defaultThreshold,
                                  mask: CosineMask = .eitherAboveThreshold) throws -> ClipScores {
        if generated.isEmpty { throw ValidationError.empty(argument: "generated") }
        try Validate.count(reference.count, equals: generated.count, "reference")
        var epeSum = 0.0, cosineSum = 0.0
        var cosinePairs = 0
        for (g, r) in zip(generated, reference) {
            epeSum += try endPointError(generated: g, reference: r)
            if let value = try cosineSimilarity(generated: g, reference: r, threshold: threshold, mask: mask).value {
                cosineSum += value
                cosinePairs += 1
            }
        }
        return ClipScores(endPointError: epeSum / Double(generated.count),
                          cosine: cosinePairs > 0 ? cosineSum / Double(cosinePairs) : nil,
                          skippedPairs: generated.count - cosinePairs, threshold: threshold)
    }

    private static func check(generated: FlowField, reference: FlowField) throws {
        if generated.width != reference.width || generated.height != reference.height {
            throw ValidationError.shapeMismatch(argument: "reference",
                                                expected: "\(generated.width)×\(generated.height) (generated's size)",
                                                actual: "\(reference.width)×\(reference.height)")
        }
        // `vectors` is mutable, so its length is checked again here.
        try Validate.count(generated.vectors.count, equals: generated.width * generated.height * 2, "generated.vectors")
        try Validate.count(reference.vectors.count, equals: reference.width * reference.height * 2, "reference.vectors")
        try Validate.finite(generated.vectors, "generated")
        try Validate.finite(reference.vectors, "reference")
    }
}
