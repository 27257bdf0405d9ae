/// Whether operations record themselves on the autodiff graph (task-local, so scopes nest and
/// concurrent tasks do not see each other's setting).
public enum GradMode {
    /// True unless inside a ``noGrad(_:)`` scope.
    @TaskLocal public static var isEnabled: Bool = true
}

/// Runs `body` without recording operations for autodiff (inference, optimizer updates, sampling).
///
/// ```swift
/// let sample = try noGrad { try policy(observation) }
/// ```
public func noGrad<T>(_ body: () throws -> T) rethrows -> T {
    try GradMode.$isEnabled.withValue(false) { try body() }
}
