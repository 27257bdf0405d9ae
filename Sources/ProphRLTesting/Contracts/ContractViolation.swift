/// A port implementation broke a rule of its contract; thrown by ``PortContracts`` checks.
public struct ContractViolation: Error, Equatable, Sendable, CustomStringConvertible {
    /// The port, e.g. "Environment".
    public let port: String
    /// The rule that was broken.
    public let rule: String
    /// What was observed.
    public let detail: String

    /// Creates a violation.
    public init(port: String, rule: String, detail: String) {
        self.port = port
        self.rule = rule
        self.detail = detail
    }

    /// "Port: rule (detail)".
    public var description: String { "\(port): \(rule) (\(detail))" }
}

/// Throws a ``ContractViolation`` unless `condition` holds.
func require(_ condition: Bool, _ port: String, _ rule: String, _ detail: @autoclosure () -> String = "") throws {
    if !condition { throw ContractViolation(port: port, rule: rule, detail: detail()) }
}
