import Foundation
import TensorEngine

// TensorBench: the tensor engine's benchmarks (docs/performance.md, "Tensor engine").
//   TensorBench [--json] [--threads N] [--repeats N] [--workload all|gemm|flow-head-grpo|dit-step|none] [--profile | --profile-cpu]
// (`--profile` prints the wall-clock time per primitive of the dit-step phases instead of the table.)
// (`none` prints only the BLAS configuration line: kernel, threads, allocator tuning.)
// Kernel: re-executes itself with the fastest correct OpenBLAS kernel for the CPU unless
// PROPHRL_BLAS_CORETYPE says otherwise (see BLASRuntime).

BLASRuntime.relaunchWithPreferredKernel()
let allocatorTuned = AllocatorTuning.apply()

var json = false, profile = false, threads = 1, repeats = 7, workload = "all"
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--json": json = true
    case "--profile": profile = true
    case "--profile-cpu": profile = true; Profiler.clock = .threadCPU
    case "--threads": threads = Int(arguments.next() ?? "") ?? -1
    case "--repeats": repeats = Int(arguments.next() ?? "") ?? -1
    case "--workload": workload = arguments.next() ?? ""
    default:
        FileHandle.standardError.write(Data("TensorBench: unknown argument \(argument)\n".utf8))
        exit(2)
    }
}
guard threads >= 1, repeats >= 1, ["all", "gemm", "flow-head-grpo", "dit-step", "none"].contains(workload) else {
    FileHandle.standardError.write(Data("TensorBench: --threads and --repeats must be >= 1; --workload all|gemm|flow-head-grpo|dit-step|none\n".utf8))
    exit(2)
}

do {
    try BLASRuntime.setThreads(threads)
    if profile {
        print("\(BLASRuntime.configuration) allocator-tuned=\(allocatorTuned)")
        _ = try DiTBench.run(repeats: repeats, profile: true)
        exit(0)
    }
    var results: [BenchResult] = []
    if workload == "all" || workload == "flow-head-grpo" { results += try FlowHeadBench.run(repeats: repeats) }
    if workload == "all" || workload == "dit-step" { results += try DiTBench.run(repeats: repeats) }
    // Last: its raw-sgemm half wakes OpenBLAS's own threads (see GEMMBench).
    if workload == "all" || workload == "gemm" { results += try GEMMBench.run(size: 1024, repeats: repeats) }
    let config = BLASRuntime.configuration
    if json {
        print("{\"engine\": \"swift-tensorengine\", \"threads\": \(config.threads), \"kernel\": \"\(config.coreName)\", \"results\": [")
        print(results.map { "  " + $0.json }.joined(separator: ",\n"))
        print("]}")
    } else {
        print("\(config) allocator-tuned=\(allocatorTuned)")
        for r in results {
            let extra = r.extra.sorted { $0.key < $1.key }.map { "\($0.key)=\(String(format: "%.2f", $0.value))" }.joined(separator: " ")
            print("\(r.workload.padding(toLength: 16, withPad: " ", startingAt: 0)) \(r.phase.padding(toLength: 30, withPad: " ", startingAt: 0)) \(String(format: "%9.2f", r.milliseconds)) ms (best \(String(format: "%.2f", r.best)), cpu \(String(format: "%.2f", r.cpu)))  \(extra)")
        }
    }
} catch {
    FileHandle.standardError.write(Data("TensorBench: \(error)\n".utf8))
    exit(1)
}
