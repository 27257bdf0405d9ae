import Foundation

/// Wall-clock timing with warm-up and repetitions. The shared VMs are noisy (other jobs steal the
/// cores), so each figure carries the median and the best (minimum) run; comparisons use the best.
enum Timing {
    /// Milliseconds of one call of `body` over `repeats` runs after `warmup` runs: (median, best).
    /// `cpu` is the smallest process CPU time of a run: with one thread it is the compute time without
    /// the time other jobs held the core, the fairest single-thread figure on a loaded machine.
    static func milliseconds(warmup: Int = 2, repeats: Int, _ body: () throws -> Void) rethrows
        -> (median: Double, best: Double, cpu: Double) {
        for _ in 0..<warmup { try body() }
        var samples: [Double] = [], cpu: [Double] = []
        for _ in 0..<repeats {
            let startCPU = processCPUMilliseconds()
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            cpu.append(processCPUMilliseconds() - startCPU)
        }
        samples.sort()
        return (samples[samples.count / 2], samples[0], cpu.min() ?? 0)
    }

    /// CPU time consumed by the whole process so far, in milliseconds.
    static func processCPUMilliseconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) * 1e3 + Double(spec.tv_nsec) / 1e6
    }
}

/// One measured figure.
struct BenchResult {
    let workload: String
    let phase: String
    let milliseconds: Double
    let best: Double
    let cpu: Double
    var extra: [String: Double] = [:]

    init(workload: String, phase: String, _ time: (median: Double, best: Double, cpu: Double), extra: [String: Double] = [:]) {
        self.workload = workload
        self.phase = phase
        self.milliseconds = time.median
        self.best = time.best
        self.cpu = time.cpu
        self.extra = extra
    }

    var json: String {
        var fields = ["\"workload\": \"\(workload)\"", "\"phase\": \"\(phase)\"", "\"ms\": \(String(format: "%.3f", milliseconds))",
                      "\"best_ms\": \(String(format: "%.3f", best))", "\"cpu_ms\": \(String(format: "%.3f", cpu))"]
        for (key, value) in extra.sorted(by: { $0.key < $1.key }) { fields.append("\"\(key)\": \(String(format: "%.3f", value))") }
        return "{" + fields.joined(separator: ", ") + "}"
    }
}
