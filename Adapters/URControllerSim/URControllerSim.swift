import Foundation
import POSIXSupport
import ProphRLCore
import Synchronization

/// A simulated UR30e controller: RTDE (30004), dashboard (29999) and script ports (30001–30003)
/// around a kinematic arm integrated at 500 Hz, with the register protocol of control scripts emulated.
///
/// Unmodified clients (`ur_rtde`, UR's Python client, ProphRL's `TCPRobotLink`) work against it:
///
/// ```swift
/// let sim = try URControllerSim(configuration: .ephemeral)
/// try sim.start()
/// print(sim.rtdePort, sim.dashboardPort, sim.scriptPorts)   // free ports picked by the OS
/// sim.triggerProtectiveStop()                                  // safety events for tests
/// sim.stop()
/// ```
public final class URControllerSim: Sendable {
    /// The configuration served.
    public let configuration: URControllerSimConfiguration
    private let controller: Mutex<SimulatedController>
    private let sessions = Mutex<[ObjectIdentifier: RTDEServerSession]>([:])
    private let inputOwners = Mutex<[String: ObjectIdentifier]>([:])
    private let running = Atomic<Bool>(false)
    private let outputsFrozen = Atomic<Bool>(false)
    private let counters = Mutex<(sent: Int, skipped: Int)>((0, 0))
    private let listeners = Mutex<[POSIXSocket]>([])
    private let boundPorts = Mutex<(rtde: UInt16, dashboard: UInt16, script: [UInt16])>((0, 0, []))
    private let threadsDone = Mutex<Int>(0)

    /// Creates a stopped simulator.
    public init(configuration: URControllerSimConfiguration = URControllerSimConfiguration()) throws {
        try Validate.count(configuration.initialJoints.count, equals: 6, "initialJoints")
        try Validate.finite(configuration.initialJoints, "initialJoints")
        try Validate.inRange(configuration.controlFrequency, 1, 1000, "controlFrequency")
        self.configuration = configuration
        controller = Mutex(SimulatedController(joints: configuration.initialJoints,
                                               robotMode: configuration.initialRobotMode))
    }

    deinit { stop() }

    /// True between ``start()`` and ``stop()``.
    public var isRunning: Bool { running.load(ordering: .acquiring) }
    /// The bound RTDE port.
    public var rtdePort: UInt16 { boundPorts.withLock { $0.rtde } }
    /// The bound dashboard port.
    public var dashboardPort: UInt16 { boundPorts.withLock { $0.dashboard } }
    /// The bound script ports (primary, secondary, real-time).
    public var scriptPorts: [UInt16] { boundPorts.withLock { $0.script } }

    /// Binds every port and starts the control loop and the servers.
    /// - Throws: ``RTDEError/socket(operation:errno:)`` when a port is taken.
    public func start() throws {
        guard !isRunning else { return }
        let rtde = try POSIXSocket.listen(host: configuration.host, port: configuration.rtdePort)
        let dashboard = try POSIXSocket.listen(host: configuration.host, port: configuration.dashboardPort)
        let scripts = try configuration.scriptPorts.map { try POSIXSocket.listen(host: configuration.host, port: $0) }
        boundPorts.withLock { $0 = (rtde.localPort, dashboard.localPort, scripts.map(\.localPort)) }
        listeners.withLock { $0 = [rtde, dashboard] + scripts }
        running.store(true, ordering: .releasing)
        spawn { [self] in controlLoop() }
        spawn { [self] in acceptLoop(rtde) { session in self.serveRTDE(session) } }
        spawn { [self] in acceptLoop(dashboard) { socket in self.serveDashboard(socket) } }
        for script in scripts { spawn { [self] in acceptLoop(script) { socket in self.serveScript(socket) } } }
    }

    /// Stops every thread and closes every socket.
    public func stop() {
        guard running.exchange(false, ordering: .acquiringAndReleasing) else { return }
        for session in sessions.withLock({ Array($0.values) }) { session.socket.shutdownBoth() }
        listeners.withLock { $0.removeAll() }
        // Give the loops (poll timeouts of 0.2 s) time to notice, so ports are free on return.
        MonotonicClock.sleep(until: MonotonicClock.now() + 0.25)
    }

    // MARK: - Test and CLI hooks

    /// A copy of the current state.
    public func snapshot() -> URControllerSimSnapshot {
        let counts = counters.withLock { $0 }
        let clients = sessions.withLock { $0.count }
        return controller.withLock { c in
            URControllerSimSnapshot(time: c.time, q: c.arm.q, qd: c.arm.qd, tcpPose: c.arm.tcpPose, robotMode: c.robotMode,
                                    safetyMode: c.safetyMode, runtimeState: c.runtimeState,
                                    watchdogFrequency: c.watchdogFrequency, events: c.events, rtdeClients: clients,
                                    packagesSent: counts.sent, skippedTicks: counts.skipped)
        }
    }

    /// Raises a protective stop: the arm halts, the program stops, safety_mode becomes PROTECTIVE_STOP.
    public func triggerProtectiveStop() { withController { $0.enterSafetyStop(.protectiveStop) } }

    /// Presses the robot's emergency stop: the arm halts and powers off.
    public func triggerEmergencyStop() { withController { $0.enterSafetyStop(.robotEmergencyStop) } }

    /// Releases the emergency stop button (power on and brake release are still needed).
    public func releaseEmergencyStop() { withController { $0.safetyMode = .normal } }

    /// Sends raw bytes to every RTDE client (to test a client's handling of malformed packages).
    public func injectRTDEBytes(_ bytes: [UInt8]) {
        for session in sessions.withLock({ Array($0.values) }) { try? session.write(bytes) }
    }

    /// Stops (or resumes) sending output packages while connections stay open, like a hung controller.
    public func freezeOutputs(_ frozen: Bool) { outputsFrozen.store(frozen, ordering: .releasing) }

    /// Drops every RTDE connection at once, like a cable pulled.
    public func dropRTDEClients() {
        for session in sessions.withLock({ Array($0.values) }) { session.socket.shutdownBoth() }
    }

    // MARK: - Internals shared with sessions

    func withController<T>(_ body: (inout SimulatedController) -> T) -> T { controller.withLock { body(&$0) } }

    func log(_ message: String) { withController { $0.events.append(message) } }

    /// Type words for an input recipe; claims the variables for `owner` when all are free and known.
    func claimInputs(_ names: [String], for owner: ObjectIdentifier) -> [String] {
        inputOwners.withLock { owners in
            let words = names.map { name -> String in
                guard let type = RTDEVariables.inputType(of: name) else { return RTDERecipeRefusal.notFound }
                if let current = owners[name], current != owner { return RTDERecipeRefusal.inUse }
                return type.name
            }
            if !words.contains(RTDERecipeRefusal.notFound) && !words.contains(RTDERecipeRefusal.inUse) {
                for name in names { owners[name] = owner }
            }
            return words
        }
    }

    func sessionEnded(_ session: RTDEServerSession) {
        sessions.withLock { _ = $0.removeValue(forKey: session.id) }
        inputOwners.withLock { owners in owners = owners.filter { $0.value != session.id } }
        session.socket.shutdownBoth()
    }

    // MARK: - Threads

    private func spawn(_ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.stackSize = 1 << 20
        thread.start()
    }

    private func acceptLoop(_ listener: POSIXSocket, _ serve: @escaping @Sendable (POSIXSocket) -> Void) {
        while isRunning {
            guard let client = try? listener.accept(timeout: 0.2) else { continue }
            spawn { serve(client) }
        }
    }

    func serveRTDE(_ socket: POSIXSocket) {
        let session = RTDEServerSession(socket: socket)
        sessions.withLock { $0[session.id] = session }
        session.serve(simulator: self)
    }

    /// The fixed-rate loop: integrate the arm, run the script emulation, stream outputs.
    private func controlLoop() {
        let period = 1 / configuration.controlFrequency
        var deadline = MonotonicClock.now()
        var tick = 0
        while isRunning {
            deadline += period
            MonotonicClock.sleep(until: deadline)
            // Scheduling jitter of a shared machine (a few ms) is absorbed by running late cycles back to back,
            // so every package still goes out; beyond 20 ms the loop catches up on simulated time and sends
            // only the newest state, as a controller short of CPU does.
            let late = MonotonicClock.now() - deadline
            let steps = late > 10 * period ? min(Int(late / period) + 1, 500) : 1
            if steps > 1 {
                deadline += Double(steps - 1) * period
                counters.withLock { $0.skipped += steps - 1 }
            }
            if late > 1 { deadline = MonotonicClock.now() }
            tick += steps
            let due = sessions.withLock { Array($0.values) }.compactMap { session -> (RTDEServerSession, RTDERecipe)? in
                session.state.withLock { state in
                    guard state.streaming, let recipe = state.outputRecipe, tick % state.outputDivisor < steps else { return nil }
                    return (session, recipe)
                }
            }
            let frames: [(RTDEServerSession, [UInt8])] = controller.withLock { c in
                for _ in 0..<steps { c.tick(dt: period) }
                return due.compactMap { session, recipe in
                    let values = zip(recipe.names, recipe.types).map { c.output($0.0, type: $0.1) }
                    guard let payload = try? recipe.encode(values),
                          let frame = try? RTDEPackage.data(payload: payload).encoded() else { return nil }
                    return (session, frame)
                }
            }
            if outputsFrozen.load(ordering: .acquiring) { continue }
            for (session, frame) in frames {
                do {
                    if try session.writeIfStreaming(frame) { counters.withLock { $0.sent += 1 } }
                } catch {
                    session.socket.shutdownBoth()
                }
            }
        }
    }
}
