/// Independent numerical references for tests: central finite differences and tolerance comparison.
public enum FiniteDifference {
    /// The gradient of `f` at `x` by central differences, `(f(x + h e_i) - f(x - h e_i)) / 2h`.
    ///
    /// ```swift
    /// let g = FiniteDifference.gradient(of: { $0[0] * $0[0] }, at: [3])   // ≈ [6]
    /// ```
    public static func gradient(of f: ([Double]) throws -> Double, at x: [Double],
                                step h: Double = 1e-6) rethrows -> [Double] {
        var probe = x
        var gradient = [Double](repeating: 0, count: x.count)
        for i in x.indices {
            probe[i] = x[i] + h
            let plus = try f(probe)
            probe[i] = x[i] - h
            let minus = try f(probe)
            probe[i] = x[i]
            gradient[i] = (plus - minus) / (2 * h)
        }
        return gradient
    }
}

/// Tolerance comparisons used by the numerical tests.
public enum Tolerance {
    /// True when `|a - b| <= atol + rtol * |b|` (numpy's `isclose`, `b` the reference).
    public static func isClose(_ a: Double, _ b: Double, rtol: Double = 1e-5, atol: Double = 1e-12) -> Bool {
        if a == b { return true }
        return abs(a - b) <= atol + rtol * abs(b)
    }

    /// The index and values of the first element pair that is not close, or nil when all are.
    public static func firstMismatch(_ a: [Double], _ b: [Double], rtol: Double = 1e-5,
                                     atol: Double = 1e-12) -> (index: Int, actual: Double, expected: Double)? {
        if a.count != b.count { return (-1, Double(a.count), Double(b.count)) }
        for i in a.indices where !isClose(a[i], b[i], rtol: rtol, atol: atol) {
            return (i, a[i], b[i])
        }
        return nil
    }
}
