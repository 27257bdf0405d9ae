import Foundation

/// Wall-clock timing with warm-up and repetitions; reports the median (the VMs are noisy).
enum Timing {
    /// Milliseconds of one call of `body`: the median of `repeats` runs after `warmup` runs.
    static func medianMilliseconds(warmup: Int = 2, repeats: Int, _ body: () throws -> Void) rethrows -> Double {
        for _ in 0..<warmup { try body() }
        var samples: [Double] = []
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        samples.sort()
        return samples[samples.count / 2]
    }
}

/// One measured figure.
struct BenchResult {
    let workload: String
    let phase: String
    let milliseconds: Double
    var extra: [String: Double] = [:]

    var json: String {
        var fields = ["\"workload\": \"\(workload)\"", "\"phase\": \"\(phase)\"", "\"ms\": \(String(format: "%.3f", milliseconds))"]
        for (key, value) in extra.sorted(by: { $0.key < $1.key }) { fields.append("\"\(key)\": \(String(format: "%.3f", value))") }
        return "{" + fields.joined(separator: ", ") + "}"
    }
}
