import COpenBLAS
import CTensorKernels
import Foundation

/// Thread count and kernel ("core type") of the OpenBLAS library under the engine, for control and
/// for every run's metadata (shared/spec/engineering.md §2.2, §5).
///
/// OpenBLAS picks its kernel once, when the library loads, from `OPENBLAS_CORETYPE` — so a process
/// that wants another kernel must be started with the variable set. ``relaunchWithPreferredKernel(arguments:)``
/// does that for an executable's `main`: it re-executes the process with the fastest correct kernel
/// for the CPU (SkylakeX on AVX-512 CPUs; the machines' environment pins Haswell, at about half the
/// GEMM speed). Override with `PROPHRL_BLAS_CORETYPE`:
/// - unset or `auto`: SkylakeX where the CPU reports `avx512f`, otherwise leave the environment as is;
/// - a core name (`Haswell`, `SkylakeX`, ...): that kernel;
/// - `inherit`: never re-execute; use whatever `OPENBLAS_CORETYPE` the environment has.
public enum BLASRuntime {
    /// The environment variable that overrides the kernel choice.
    public static let overrideVariable = "PROPHRL_BLAS_CORETYPE"
    /// Set in the re-executed child so it never re-executes again.
    static let relaunchedVariable = "PROPHRL_BLAS_RELAUNCHED"

    /// A record of the BLAS configuration in force, for run metadata.
    public struct Configuration: Sendable, Equatable, CustomStringConvertible {
        /// The kernel OpenBLAS loaded (`openblas_get_corename`), e.g. `Haswell` or `SkylakeX`.
        public let coreName: String
        /// The BLAS thread count.
        public let threads: Int
        /// OpenBLAS's build configuration string.
        public let buildConfig: String
        /// Whether the CPU reports AVX-512F.
        public let cpuHasAVX512: Bool
        /// `OPENBLAS_CORETYPE` in this process's environment (nil when unset).
        public let requestedCoreType: String?
        /// The instruction set of the engine's own kernels (``BLASRuntime/vectorKernels``).
        public let vectorKernels: String

        /// One line for logs: `openblas core=SkylakeX threads=2 avx512=yes`.
        public var description: String {
            "openblas core=\(coreName) threads=\(threads) avx512=\(cpuHasAVX512 ? "yes" : "no") requested=\(requestedCoreType ?? "-") kernels=\(vectorKernels)"
        }
    }

    /// The configuration now in force.
    public static var configuration: Configuration {
        Configuration(coreName: coreName, threads: threads, buildConfig: String(cString: openblas_get_config()),
                      cpuHasAVX512: cpuHasAVX512, requestedCoreType: ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"],
                      vectorKernels: vectorKernels)
    }

    /// The loaded kernel's name.
    public static var coreName: String { String(cString: openblas_get_corename()) }

    /// The engine's thread count: GEMM partitions and parallel kernels (OpenBLAS itself runs one
    /// thread per call; see `Parallel`).
    public static var threads: Int { Parallel.threads }

    /// Sets the engine's thread count (GEMMs and parallel kernels), capped at the core count (as
    /// OpenBLAS capped its own).
    /// - Throws: ``TensorError`` unless `count >= 1`.
    public static func setThreads(_ count: Int) throws {
        guard count >= 1 else {
            throw TensorError.invalidArgument(op: "BLASRuntime.setThreads", argument: "count", reason: "expected >= 1, got \(count)")
        }
        Parallel.configured
        ctk_set_threads(count)
    }

    /// The instruction set of the engine's own kernels: `avx512`, `avx2` or `portable`.
    public static var vectorKernels: String {
        switch ctk_vector_width_bits() {
        case 512: "avx512"
        case 256: "avx2"
        default: "portable"
        }
    }

    /// Deterministic mode: one BLAS thread. Together with a pinned kernel (start the process with
    /// `PROPHRL_BLAS_CORETYPE=Haswell`, or call ``relaunchWithPreferredKernel(arguments:deterministic:)``
    /// with `deterministic: true`) results are bit-identical run to run. The engine's own kernels
    /// have a fixed reduction order at any thread count.
    public static func enableDeterministicMode() {
        Parallel.configured
        ctk_set_threads(1)
    }

    /// Whether `/proc/cpuinfo` lists `avx512f`.
    public static var cpuHasAVX512: Bool {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return false }
        return text.split(separator: "\n").contains { $0.hasPrefix("flags") && $0.split(separator: " ").contains("avx512f") }
    }

    /// The kernel this process should run with, from the override and the CPU (nil: keep the environment's).
    /// - Parameter deterministic: pin the portable Haswell kernel (unless overridden explicitly).
    public static func preferredCoreType(environment: [String: String] = ProcessInfo.processInfo.environment,
                                         avx512: Bool = cpuHasAVX512, deterministic: Bool = false) -> String? {
        switch environment[overrideVariable] {
        case "inherit": return nil
        case let name? where name != "auto" && !name.isEmpty: return name
        default: return deterministic ? "Haswell" : (avx512 ? "SkylakeX" : nil)
        }
    }

    /// Re-executes the current process with `OPENBLAS_CORETYPE` set to the preferred kernel when the
    /// environment asks for another one; returns (doing nothing) when no change is needed, in the
    /// re-executed child, or if `execv` fails (the run then records the kernel it actually got).
    /// Call it first thing in `main`, before any BLAS call.
    public static func relaunchWithPreferredKernel(arguments: [String] = CommandLine.arguments, deterministic: Bool = false) {
        let environment = ProcessInfo.processInfo.environment
        guard environment[relaunchedVariable] == nil,
              let wanted = preferredCoreType(environment: environment, deterministic: deterministic),
              environment["OPENBLAS_CORETYPE"] != wanted else { return }
        setenv("OPENBLAS_CORETYPE", wanted, 1)
        setenv(relaunchedVariable, "1", 1)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        execv("/proc/self/exe", argv)
        // execv returned: it failed; carry on with the kernel already loaded.
        for pointer in argv { free(pointer) }
        unsetenv(relaunchedVariable)
    }
}
