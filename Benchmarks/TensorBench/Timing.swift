import Foundation

/// Wall-clock timing with warm-up and repetitions. The shared VMs are noisy (other jobs steal the
/// cores), so each figure carries the median and the best (minimum) run; comparisons use the best.
enum Timing {
    /// Milliseconds of one call of `body` over `repeats` runs after `warmup` runs: (median, best).
    static func milliseconds(warmup: Int = 2, repeats: Int, _ body: () throws -> Void) rethrows -> (median: Double, best: Double) {
        for _ in 0..<warmup { try body() }
        var samples: [Double] = []
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        samples.sort()
        return (samples[samples.count / 2], samples[0])
    }
}

/// One measured figure.
struct BenchResult {
    let workload: String
    let phase: String
    let milliseconds: Double
    let best: Double
    var extra: [String: Double] = [:]

    init(workload: String, phase: String, _ time: (median: Double, best: Double), extra: [String: Double] = [:]) {
        self.workload = workload
        self.phase = phase
        self.milliseconds = time.median
        self.best = time.best
        self.extra = extra
    }

    var json: String {
        var fields = ["\"workload\": \"\(workload)\"", "\"phase\": \"\(phase)\"", "\"ms\": \(String(format: "%.3f", milliseconds))",
                      "\"best_ms\": \(String(format: "%.3f", best))"]
        for (key, value) in extra.sorted(by: { $0.key < $1.key }) { fields.append("\"\(key)\": \(String(format: "%.3f", value))") }
        return "{" + fields.joined(separator: ", ") + "}"
    }
}
