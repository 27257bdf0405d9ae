/// Counters of an RTDE output stream, for health checks and the `robot status` rate line.
public struct RTDEStreamStatistics: Sendable, Equatable {
    /// Data packages received.
    public var received = 0
    /// Packages the controller skipped, from gaps in `timestamp` at the negotiated frequency.
    public var skipped = 0
    /// Packages replaced by a newer one before anyone read them (normal when the reader is slower).
    public var unread = 0
    /// Largest gap between consecutive packages (s, receive clock).
    public var maxInterval = 0.0
    /// Text messages the controller sent, newest last (at most 20 kept).
    public var messages: [String] = []

    /// Creates zeroed counters.
    public init() {}

    /// Skipped packages as a fraction of the packages the controller should have sent.
    public var skippedFraction: Double {
        let expected = received + skipped
        return expected == 0 ? 0 : Double(skipped) / Double(expected)
    }
}
