import Foundation
import ProphRL
import ProphRLCore

/// Runs async work from a synchronous command (the root command is synchronous) and returns its result.
func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = AsyncResultBox<T>()
    let semaphore = DispatchSemaphore(value: 0)
    Task {
        do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
        semaphore.signal()
    }
    semaphore.wait()
    guard let result = box.result else { throw CLIError("internal: an async call finished without a result") }
    return try result.get()
}

/// Carries a result across the semaphore; written before `signal`, read after `wait`.
private final class AsyncResultBox<T>: @unchecked Sendable {
    var result: Result<T, Error>?
}

/// Reads a UTF-8 text file, naming it in the error.
func readText(_ path: String, option: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("\(option): cannot read \(path)") }
    guard let text = String(data: data, encoding: .utf8) else { throw CLIError("\(option): \(path) is not UTF-8") }
    return text
}

/// A run record for a training command; the BLAS thread count comes from `OPENBLAS_NUM_THREADS` (0: library default).
func makeRunRecord(kind: String, config: JSONValue, seed: UInt64) throws -> RunRecord {
    try RunRecord(kind: kind, configJSON: config.serialized(), seed: seed, codeRevision: ProphRLInfo.version,
                  blasThreads: Int(ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] ?? "") ?? 0,
                  blasKernel: "openblas", created: ISO8601DateFormatter().string(from: Date()))
}
