/// Progress of long work: a redrawn bar with rate and ETA on a terminal, plain lines when not a TTY.
///
/// The composition root decides the style (it knows whether stderr is a terminal) and where text goes:
///
/// ```swift
/// var progress = ProgressBar(total: 200, label: "collect", style: isatty(2) != 0 ? .bar : .lines,
///                            write: { FileHandle.standardError.write($0) })
/// for episode in 0..<200 { …; progress.advance(detail: "success 0.93") }
/// progress.finish()
/// ```
public struct ProgressBar {
    /// How progress is shown.
    public enum Style: Sendable, Equatable {
        /// One line redrawn in place with `\r` (terminals).
        case bar
        /// A full line at most every `interval` seconds and at the end (logs, CI).
        case lines
    }

    /// Units of work in all.
    public let total: Int
    /// What is being done.
    public let label: String
    /// The style.
    public let style: Style
    /// Seconds between plain lines.
    public var lineInterval: Double = 10
    /// Units done so far.
    public private(set) var completed = 0

    private let write: (String) -> Void
    private let now: () -> Double
    private let start: Double
    private var lastLine = -Double.infinity

    /// Creates a bar; `now` returns seconds (injectable for tests; defaults to a monotonic clock).
    public init(total: Int, label: String, style: Style, write: @escaping (String) -> Void,
                now: (() -> Double)? = nil) {
        self.total = max(total, 0)
        self.label = label
        self.style = style
        self.write = write
        let clock = now ?? ProgressBar.monotonicSeconds
        self.now = clock
        start = clock()
    }

    /// Marks `units` more done and redraws if due; `detail` is appended (e.g. the current loss).
    public mutating func advance(by units: Int = 1, detail: String = "") {
        completed = min(completed + units, total)
        let t = now()
        switch style {
        case .bar:
            write("\r" + render(at: t, detail: detail))
        case .lines:
            if t - lastLine >= lineInterval || completed == total {
                write(render(at: t, detail: detail) + "\n")
                lastLine = t
            }
        }
    }

    /// Ends the bar (a newline after a redrawn bar).
    public mutating func finish(detail: String = "") {
        if style == .bar { write("\r" + render(at: now(), detail: detail) + "\n") }
        else if completed < total || lastLine == -Double.infinity { write(render(at: now(), detail: detail) + "\n") }
    }

    /// The text of the bar at time `t`: label, bar, count, rate and ETA.
    public func render(at t: Double, detail: String = "") -> String {
        let elapsed = max(t - start, 0)
        let rate = elapsed > 0 ? Double(completed) / elapsed : 0
        let remaining = rate > 0 ? Double(total - completed) / rate : nil
        let fraction = total == 0 ? 1 : Double(completed) / Double(total)
        let width = 24
        let filled = Int((fraction * Double(width)).rounded(.down))
        var text = "\(label) "
        if style == .bar { text += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] " }
        text += "\(completed)/\(total) (\(Int((fraction * 100).rounded(.down)))%) \(Self.format(rate))/s"
        text += " elapsed \(Self.clock(elapsed)) ETA \(remaining.map(Self.clock) ?? "--:--")"
        if !detail.isEmpty { text += " " + detail }
        return text
    }

    /// `m:ss` or `h:mm:ss`.
    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        let (h, m, r) = (s / 3600, (s / 60) % 60, s % 60)
        let mm = h > 0 && m < 10 ? "0\(m)" : "\(m)", ss = r < 10 ? "0\(r)" : "\(r)"
        return h > 0 ? "\(h):\(mm):\(ss)" : "\(mm):\(ss)"
    }

    /// A rate with three significant digits.
    static func format(_ rate: Double) -> String {
        if rate >= 100 { return "\(Int(rate.rounded()))" }
        if rate >= 10 { return "\((rate * 10).rounded() / 10)" }
        return "\((rate * 100).rounded() / 100)"
    }

    private static func monotonicSeconds() -> Double {
        let d = ContinuousClock.now - referenceInstant
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    private static let referenceInstant = ContinuousClock.now
}
