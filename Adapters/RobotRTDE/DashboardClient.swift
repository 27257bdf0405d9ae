import POSIXSupport
import ProphRLCore
import Synchronization

/// A client of the UR dashboard server (port 29999): one command line, one reply line, every read timed out.
///
/// ```swift
/// let dashboard = try DashboardClient.connect(host: "192.168.1.10")
/// try dashboard.powerOn(); try dashboard.brakeRelease()
/// print(try dashboard.robotMode())          // RobotMode.running
/// ```
public final class DashboardClient: Sendable {
    /// The greeting every dashboard server sends first.
    public static let greeting = "Connected: Universal Robots Dashboard Server"
    /// Seconds each reply may take.
    public let timeout: Double
    private let socket: POSIXSocket
    private let pending = Mutex<[UInt8]>([])

    private init(socket: POSIXSocket, timeout: Double) {
        self.socket = socket
        self.timeout = timeout
    }

    /// Connects and checks the greeting.
    public static func connect(host: String, port: UInt16 = 29999, timeout: Double = 2) throws -> DashboardClient {
        let client = DashboardClient(socket: try POSIXSocket.connect(host: host, port: port, timeout: timeout), timeout: timeout)
        let line = try client.readLine(context: "greeting")
        guard line.hasPrefix(greeting) else { throw RTDEError.unexpectedReply(command: "dashboard greeting", reply: line) }
        return client
    }

    /// Sends one command and returns its reply line.
    public func send(_ command: String) throws -> String {
        try socket.write(Array((command + "\n").utf8), timeout: timeout)
        return try readLine(context: command)
    }

    /// Sends `command` and requires the reply to start with `expected`.
    @discardableResult
    public func expect(_ command: String, _ expected: String) throws -> String {
        let reply = try send(command)
        guard reply.hasPrefix(expected) else { throw RTDEError.unexpectedReply(command: command, reply: reply) }
        return reply
    }

    /// `power on`.
    public func powerOn() throws { try expect("power on", "Powering on") }
    /// `power off`.
    public func powerOff() throws { try expect("power off", "Powering off") }
    /// `brake release`.
    public func brakeRelease() throws { try expect("brake release", "Brake releasing") }
    /// `play` (exact reply `Starting program`).
    public func play() throws { try expect("play", "Starting program") }
    /// `stop` (exact reply `Stopped`).
    public func stop() throws { try expect("stop", "Stopped") }
    /// `pause` (exact reply `Pausing program`).
    public func pause() throws { try expect("pause", "Pausing program") }
    /// `load <program.urp>`.
    public func load(_ program: String) throws { try expect("load \(program)", "Loading program: ") }
    /// `unlock protective stop`.
    public func unlockProtectiveStop() throws { try expect("unlock protective stop", "Protective stop releasing") }
    /// `close safety popup`.
    public func closeSafetyPopup() throws { try expect("close safety popup", "closing safety popup") }
    /// `is in remote control` (PolyScope ≥ 5.6).
    public func isInRemoteControl() throws -> Bool { try send("is in remote control").lowercased() == "true" }
    /// `running`.
    public func isProgramRunning() throws -> Bool { try expect("running", "Program running: ").hasSuffix("true") }
    /// `PolyscopeVersion` → the `d.d.d.d` part.
    public func polyscopeVersion() throws -> String {
        let reply = try send("PolyscopeVersion")
        guard let word = reply.split(separator: " ").first(where: { $0.split(separator: ".").count == 4 }) else {
            throw RTDEError.unexpectedReply(command: "PolyscopeVersion", reply: reply)
        }
        return String(word)
    }

    /// `robotmode` parsed into a ``RobotMode``.
    public func robotMode() throws -> RobotMode {
        let reply = try expect("robotmode", "Robotmode: ")
        let name = reply.dropFirst("Robotmode: ".count)
        guard let mode = RobotMode.allCases.first(where: { $0.description == name }) else {
            throw RTDEError.unexpectedReply(command: "robotmode", reply: reply)
        }
        return mode
    }

    /// `safetystatus` parsed into a ``SafetyMode``.
    public func safetyStatus() throws -> SafetyMode {
        let reply = try expect("safetystatus", "Safetystatus: ")
        let name = reply.dropFirst("Safetystatus: ".count)
        guard let mode = SafetyMode.allCases.first(where: { $0.description == name }) else {
            throw RTDEError.unexpectedReply(command: "safetystatus", reply: reply)
        }
        return mode
    }

    /// `programState` → (state word, program name).
    public func programState() throws -> (state: String, program: String) {
        let reply = try send("programState")
        let parts = reply.split(separator: " ", maxSplits: 1)
        guard let first = parts.first, ["STOPPED", "PLAYING", "PAUSED"].contains(String(first)) else {
            throw RTDEError.unexpectedReply(command: "programState", reply: reply)
        }
        return (String(first), parts.count > 1 ? String(parts[1]) : "")
    }

    /// Power on and release the brakes, polling `robotmode` until RUNNING (UR's own sequence).
    public func powerOnAndReleaseBrakes(timeout total: Double = 30) throws {
        try powerOn()
        try waitForMode([.idle, .running], timeout: total)
        try brakeRelease()
        try waitForMode([.running], timeout: total)
    }

    /// Closes the connection (`quit` is not required).
    public func close() { socket.shutdownBoth() }

    private func waitForMode(_ modes: [RobotMode], timeout total: Double) throws {
        let deadline = MonotonicClock.now() + total
        while MonotonicClock.now() < deadline {
            if modes.contains(try robotMode()) { return }
            MonotonicClock.sleep(until: MonotonicClock.now() + 0.1)
        }
        throw RTDEError.timeout(operation: "robot mode \(modes.map(\.description))", seconds: total)
    }

    private func readLine(context: String) throws -> String {
        let deadline = MonotonicClock.now() + timeout
        while true {
            if let line = pending.withLock({ buffer -> String? in
                guard let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
                defer { buffer.removeSubrange(...newline) }
                return String(decoding: buffer[..<newline], as: UTF8.self).trimmingTrailingCarriageReturn()
            }) { return line }
            let remaining = deadline - MonotonicClock.now()
            guard remaining > 0, let bytes = try socket.read(timeout: remaining) else {
                throw RTDEError.timeout(operation: "dashboard \(context)", seconds: timeout)
            }
            if bytes.isEmpty { throw RTDEError.connectionClosed("dashboard \(context)") }
            pending.withLock { $0.append(contentsOf: bytes) }
        }
    }
}

extension String {
    /// The string without a trailing `\r` (servers that end lines with CRLF).
    func trimmingTrailingCarriageReturn() -> String { hasSuffix("\r") ? String(dropLast()) : self }
}
