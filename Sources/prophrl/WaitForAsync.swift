import Foundation

/// Runs an async call from a synchronous command (the root command is synchronous).
func waitForAsync<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
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
