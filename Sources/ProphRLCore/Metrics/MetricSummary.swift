/// Summary statistics of a per-frame (or per-pair) metric series: count, mean, median, minimum, maximum.
///
/// ```swift
/// let epe = try MetricSummary([0.9, 1.2, 1.1])   // mean 1.0667, median 1.1
/// ```
public struct MetricSummary: Sendable, Equatable, Codable {
    /// Number of values.
    public let count: Int
    /// Arithmetic mean.
    public let mean: Double
    /// Median (the mean of the two middle values for an even count).
    public let median: Double
    /// Smallest value.
    public let minimum: Double
    /// Largest value.
    public let maximum: Double

    /// Summarises `values`.
    /// - Throws: ``ValidationError`` naming `values` if it is empty or holds NaN or an infinity.
    public init(_ values: [Double]) throws {
        if values.isEmpty { throw ValidationError.empty(argument: "values") }
        try Validate.finite(values, "values")
        let sorted = values.sorted()
        let n = sorted.count
        count = n
        mean = values.reduce(0, +) / Double(n)
        median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
        minimum = sorted[0]
        maximum = sorted[n - 1]
    }
}
