import Foundation
import POSIXSupport
import ProphRLCore
import Synchronization

/// An RTDE client (protocol 2): handshake, recipes, start/pause, and a receive thread keeping the newest package.
///
/// ```swift
/// let client = try RTDEClient.connect(host: "127.0.0.1", port: 30004)
/// let outputs = try client.setupOutputs(names: ["timestamp", "actual_q"], frequency: client.controllerVersion.controlFrequency)
/// let inputs = try client.setupInputs(names: ["input_int_register_0"])
/// try client.start()
/// let (values, age) = try client.newest()
/// try client.send(inputs, [.int32(0)])
/// client.close()
/// ```
/// Every read has a timeout; a malformed, truncated or unexpected package ends the stream with a typed
/// ``RTDEError`` that ``newest()`` rethrows and `onFailure` receives once.
public final class RTDEClient: Sendable {
    private struct Shared: Sendable {
        var outputRecipe: RTDERecipe?
        var frequency = 500.0
        var newest: [RTDEValue]?
        var newestArrival = 0.0
        var newestRead = true
        var lastTimestamp: Double?
        var statistics = RTDEStreamStatistics()
        var failure: RTDEError?
        var pendingReply: RTDEPackage?
        var receiving = false
        var closed = false
        var controllerVersion = RTDEControllerVersion(major: 0, minor: 0, bugfix: 0, build: 0)
    }

    /// The controller's version, read during ``connect(host:port:timeout:)``.
    public var controllerVersion: RTDEControllerVersion { shared.withLock { $0.controllerVersion } }
    /// Seconds every request and every stream read may wait.
    public let timeout: Double
    private let socket: POSIXSocket
    private let shared = Mutex(Shared())
    private let writeLock = Mutex(())
    private let handlers = Mutex<(package: (@Sendable ([RTDEValue]) -> Void)?, failure: (@Sendable (RTDEError) -> Void)?)>((nil, nil))
    private let readBuffer = Mutex(RTDEFrameBuffer())

    private init(socket: POSIXSocket, timeout: Double) {
        self.socket = socket
        self.timeout = timeout
    }

    /// Connects, negotiates protocol version 2 and reads the controller version.
    /// - Throws: ``RTDEError/protocolVersionRefused(_:)`` if the controller refuses version 2.
    public static func connect(host: String, port: UInt16 = 30004, timeout: Double = 2) throws -> RTDEClient {
        let socket = try POSIXSocket.connect(host: host, port: port, timeout: timeout)
        let probe = RTDEClient(socket: socket, timeout: timeout)
        guard case .protocolVersionReply(let accepted) = try probe.request(.requestProtocolVersion(2)) else {
            throw RTDEError.unexpectedPackage(expected: "protocol version reply", actual: RTDEPackageType.requestProtocolVersion.rawValue)
        }
        guard accepted else { throw RTDEError.protocolVersionRefused(2) }
        guard case .controllerVersion(let version) = try probe.request(.getControllerVersion) else {
            throw RTDEError.unexpectedPackage(expected: "controller version", actual: RTDEPackageType.getURControlVersion.rawValue)
        }
        probe.shared.withLock { $0.controllerVersion = version }
        return probe
    }

    /// Sets up the output recipe; any `NOT_FOUND` is an ``RTDEError/variablesNotFound(_:)``.
    public func setupOutputs(names: [String], frequency: Double) throws -> RTDERecipe {
        guard case .setupOutputsReply(let id, let types) = try request(.setupOutputs(frequency: frequency, names: names)) else {
            throw RTDEError.unexpectedPackage(expected: "output setup reply", actual: RTDEPackageType.setupOutputs.rawValue)
        }
        let recipe = try RTDERecipe(id: id, names: names, replyTypes: types)
        shared.withLock { $0.outputRecipe = recipe; $0.frequency = frequency }
        return recipe
    }

    /// Sets up an input recipe; `IN_USE` and `NOT_FOUND` become typed errors naming the variables.
    public func setupInputs(names: [String]) throws -> RTDERecipe {
        guard case .setupInputsReply(let id, let types) = try request(.setupInputs(names: names)) else {
            throw RTDEError.unexpectedPackage(expected: "input setup reply", actual: RTDEPackageType.setupInputs.rawValue)
        }
        return try RTDERecipe(id: id, names: names, replyTypes: types)
    }

    /// Called on the receive thread for every data package (keep it short), and once on a stream failure.
    public func setHandlers(package: (@Sendable ([RTDEValue]) -> Void)?, failure: (@Sendable (RTDEError) -> Void)?) {
        handlers.withLock { $0 = (package, failure) }
    }

    /// Starts streaming and waits for the first data package.
    public func start() throws {
        guard case .startReply(let accepted) = try request(.start) else {
            throw RTDEError.unexpectedPackage(expected: "start reply", actual: RTDEPackageType.start.rawValue)
        }
        guard accepted else { throw RTDEError.requestRefused("start") }
        shared.withLock { $0.receiving = true }
        let thread = Thread { [self] in receiveLoop() }
        thread.start()
        let deadline = MonotonicClock.now() + timeout
        while MonotonicClock.now() < deadline {
            let (ready, failure) = shared.withLock { ($0.newest != nil, $0.failure) }
            if let failure { throw failure }
            if ready { return }
            MonotonicClock.sleep(until: MonotonicClock.now() + 0.001)
        }
        throw RTDEError.timeout(operation: "first data package after start", seconds: timeout)
    }

    /// Pauses streaming (the reply arrives through the receive thread).
    public func pause() throws {
        try write(try RTDEPackage.pause.encoded())
        let deadline = MonotonicClock.now() + timeout
        while MonotonicClock.now() < deadline {
            let (reply, failure) = shared.withLock { state -> (RTDEPackage?, RTDEError?) in
                defer { state.pendingReply = nil }
                return (state.pendingReply, state.failure)
            }
            if let failure { throw failure }
            if case .pauseReply(let accepted) = reply {
                guard accepted else { throw RTDEError.requestRefused("pause") }
                return
            }
            MonotonicClock.sleep(until: MonotonicClock.now() + 0.001)
        }
        throw RTDEError.timeout(operation: "pause", seconds: timeout)
    }

    /// Sends an input data package for `recipe`.
    public func send(_ recipe: RTDERecipe, _ values: [RTDEValue]) throws {
        if let failure = shared.withLock({ $0.failure }) { throw failure }
        try write(try RTDEPackage.data(payload: try recipe.encode(values)).encoded())
    }

    /// The newest output package and its age (s); marks it read.
    public func newest() throws -> (values: [RTDEValue], age: Double) {
        try shared.withLock { state in
            if let failure = state.failure { throw failure }
            guard let values = state.newest else { throw RTDEError.timeout(operation: "first data package", seconds: timeout) }
            state.newestRead = true
            return (values, MonotonicClock.now() - state.newestArrival)
        }
    }

    /// Stream counters.
    public var statistics: RTDEStreamStatistics { shared.withLock { $0.statistics } }

    /// The failure that ended the stream, if any.
    public var failure: RTDEError? { shared.withLock { $0.failure } }

    /// Closes the socket (the receive thread ends); safe to call twice.
    public func close() {
        let wasOpen = shared.withLock { state -> Bool in
            defer { state.closed = true; state.receiving = false }
            return !state.closed
        }
        if wasOpen { socket.shutdownBoth() }
    }

    deinit { close() }

    // MARK: - Internals

    private func write(_ frame: [UInt8]) throws {
        do {
            try writeLock.withLock { _ in try socket.write(frame, timeout: timeout) }
        } catch let error as RTDEError {
            throw error
        }
    }

    /// Before streaming: one request, then frames until the reply of the same type (text messages are kept).
    private func request(_ package: RTDEPackage) throws -> RTDEPackage {
        try write(try package.encoded())
        let deadline = MonotonicClock.now() + timeout
        while true {
            if let frame = try readBuffer.withLock({ try $0.nextFrame() }) {
                let reply = try RTDEPackage.decode(frame: frame, direction: .toClient)
                if case .textMessage(let message) = reply { record(message); continue }
                guard reply.type == package.type else {
                    throw RTDEError.unexpectedPackage(expected: "\(package.type) reply", actual: reply.type.rawValue)
                }
                return reply
            }
            let remaining = deadline - MonotonicClock.now()
            guard remaining > 0, let bytes = try socket.read(timeout: remaining) else {
                throw RTDEError.timeout(operation: "\(package.type) reply", seconds: timeout)
            }
            if bytes.isEmpty { throw RTDEError.connectionClosed("\(package.type) reply") }
            readBuffer.withLock { $0.append(bytes) }
        }
    }

    private func record(_ message: RTDETextMessage) {
        shared.withLock { state in
            state.statistics.messages.append("[\(message.level)] \(message.source): \(message.message)")
            if state.statistics.messages.count > 20 { state.statistics.messages.removeFirst() }
        }
    }

    private func receiveLoop() {
        do {
            while shared.withLock({ $0.receiving }) {
                while let frame = try readBuffer.withLock({ try $0.nextFrame() }) { try handle(frame) }
                guard let bytes = try socket.read(timeout: timeout) else {
                    throw RTDEError.timeout(operation: "data stream", seconds: timeout)
                }
                if bytes.isEmpty { throw RTDEError.connectionClosed("data stream") }
                readBuffer.withLock { $0.append(bytes) }
            }
        } catch {
            let typed = (error as? RTDEError) ?? RTDEError.connectionClosed("data stream: \(error)")
            let report = shared.withLock { state -> Bool in
                guard state.failure == nil, !state.closed else { return false }
                state.failure = typed
                return true
            }
            if report, let onFailure = handlers.withLock({ $0.failure }) { onFailure(typed) }
        }
    }

    private func handle(_ frame: [UInt8]) throws {
        let package = try RTDEPackage.decode(frame: frame, direction: .toClient)
        switch package {
        case .data(let payload):
            let values: [RTDEValue] = try shared.withLock { state in
                guard let recipe = state.outputRecipe, payload.first == recipe.id else {
                    throw RTDEError.unknownRecipe(payload.first ?? 0)
                }
                let values = try recipe.decode(payload: payload)
                let now = MonotonicClock.now()
                if state.newest != nil {
                    state.statistics.maxInterval = max(state.statistics.maxInterval, now - state.newestArrival)
                    if !state.newestRead { state.statistics.unread += 1 }
                }
                if case .double(let timestamp)? = recipe.value("timestamp", in: values) {
                    if let last = state.lastTimestamp {
                        let gap = Int(((timestamp - last) * state.frequency).rounded()) - 1
                        if gap > 0 { state.statistics.skipped += gap }
                    }
                    state.lastTimestamp = timestamp
                }
                state.statistics.received += 1
                state.newest = values
                state.newestArrival = now
                state.newestRead = false
                return values
            }
            if let onPackage = handlers.withLock({ $0.package }) { onPackage(values) }
        case .textMessage(let message):
            record(message)
        case .pauseReply:
            shared.withLock { $0.pendingReply = package }
        default:
            throw RTDEError.unexpectedPackage(expected: "data package", actual: package.type.rawValue)
        }
    }
}
