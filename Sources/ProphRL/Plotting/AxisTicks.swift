import ProphRLCore

/// "Nice" axis ticks (steps of 1, 2 or 5 × 10^k) and their labels.
///
/// ```swift
/// let ticks = AxisTicks(lower: 0.13, upper: 0.97, targetCount: 5)   // 0.0, 0.2, ..., 1.0
/// ticks.labels                                                       // ["0", "0.2", ..., "1"]
/// ```
public struct AxisTicks: Sendable, Equatable {
    /// The tick values, ascending; the first is ≤ the data minimum and the last ≥ its maximum.
    public let values: [Double]
    /// The distance between ticks.
    public let step: Double

    /// Ticks covering [`lower`, `upper`] with about `targetCount` intervals. A degenerate range is
    /// widened by one unit (or 10 % of the value) each side.
    public init(lower: Double, upper: Double, targetCount: Int = 5) {
        var (low, high) = (min(lower, upper), max(lower, upper))
        if high - low < 1e-12 * max(1, abs(high)) {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            (low, high) = (low - pad, high + pad)
        }
        let raw = (high - low) / Double(max(1, targetCount))
        let magnitude = AxisTicks.power10(AxisTicks.floorLog10(raw))
        let fraction = raw / magnitude
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        let tickStep = nice * magnitude
        let first = (low / tickStep).rounded(.down)
        let last = (high / tickStep).rounded(.up)
        step = tickStep
        values = stride(from: first, through: last, by: 1).map { $0 * tickStep }
    }

    /// Labels with just enough decimals for the step (scientific notation for very large or small).
    public var labels: [String] { values.map { AxisTicks.format($0, step: step) } }

    /// `value` with as many decimals as `step` needs, e.g. 0.25 with step 0.05 → "0.25".
    public static func format(_ value: Double, step: Double) -> String {
        if abs(value) < step * 1e-9 { return "0" }
        let largest = max(abs(value), step)
        if largest >= 1e6 || step < 1e-4 {
            let exponent = floorLog10(abs(value))
            let mantissa = value / power10(exponent)
            return fixed(mantissa, decimals: 2) + "E" + String(exponent)
        }
        let decimals = max(0, -floorLog10(step))
        return fixed(value, decimals: decimals)
    }

    /// `value` rounded to `decimals` places, trailing zeros removed.
    static func fixed(_ value: Double, decimals: Int) -> String {
        let scale = power10(decimals)
        let scaled = Int64((abs(value) * scale).rounded())
        let sign = value < 0 && scaled != 0 ? "-" : ""
        let divisor = Int64(scale.rounded())
        let whole = scaled / max(1, divisor)
        var fraction = decimals > 0 ? String(scaled % divisor) : ""
        if decimals > 0 {
            fraction = String(repeating: "0", count: decimals - fraction.count) + fraction
            while fraction.hasSuffix("0") { fraction.removeLast() }
        }
        return sign + String(whole) + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// ⌊log10 x⌋ for finite x > 0, by repeated scaling (no libm needed in the application layer).
    static func floorLog10(_ x: Double) -> Int {
        guard x.isFinite, x > 0 else { return 0 }
        var (value, exponent) = (x, 0)
        while value >= 10 { value /= 10; exponent += 1 }
        while value < 1 { value *= 10; exponent -= 1 }
        return exponent
    }

    /// 10^n as a Double.
    static func power10(_ n: Int) -> Double {
        var result = 1.0
        for _ in 0..<abs(n) { result *= 10 }
        return n < 0 ? 1 / result : result
    }
}
