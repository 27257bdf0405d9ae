import POSIXSupport
import ProphRLCore
import Synchronization

/// The UR30e driver: RTDE state stream, register-based control script, dashboard, and the safety envelope.
///
/// ```swift
/// var link = TCPRobotLink(configuration: TCPRobotLinkConfiguration(host: "192.168.1.10"))
/// try link.connect()                                   // RTDE, dashboard, script upload, watchdog
/// let state = try link.latestState()
/// try link.send(.moveJ(joints: home, speed: 0.5, acceleration: 1))
/// try link.send(.servoJ(joints: next))                 // every 2 ms
/// link.disconnect()                                    // stops the arm and the script
/// ```
/// Every command passes a ``SafetyGate`` first; a violation stops the arm, then throws. A stream
/// failure (malformed or missing packages) stops the arm through the dashboard and makes every
/// later call throw the typed ``RTDEError``.
public final class TCPRobotLink: RobotLink {
    struct Recipes: Sendable {
        let move: RTDERecipe     // i0, d0–d7
        let servo: RTDERecipe    // i0, d0–d10
        let stop: RTDERecipe     // i0, d0
        let clear: RTDERecipe    // i0
        let speed: RTDERecipe    // i0, d0–d7
    }

    struct Connection: Sendable {
        let rtde: RTDEClient
        let output: RTDERecipe
        let recipes: Recipes?
        let dashboard: DashboardClient?
    }

    struct Guard: Sendable {
        var gate: SafetyGate
        /// A violation found by the monitor on the receive thread; thrown by the next call.
        var latched: Error?
    }

    /// Output variables the link reads.
    public static let outputNames = [
        "timestamp", "actual_q", "target_q", "actual_qd", "actual_TCP_pose", "actual_TCP_speed", "robot_mode",
        "safety_mode", "safety_status_bits", "runtime_state", "robot_status_bits", "speed_scaling",
        "actual_digital_input_bits", "actual_digital_output_bits", "output_int_register_0",
    ]

    /// The configuration.
    public let configuration: TCPRobotLinkConfiguration
    private let connection = Mutex<Connection?>(nil)
    private let guardState: Mutex<Guard>
    private let clock: @Sendable () -> Double = { MonotonicClock.now() }

    /// Creates a disconnected link.
    public init(configuration: TCPRobotLinkConfiguration) {
        self.configuration = configuration
        guardState = Mutex(Guard(gate: SafetyGate(envelope: configuration.envelope, kinematics: configuration.kinematics)))
    }

    deinit { disconnect() }

    /// True while connected and the stream is healthy.
    public var isConnected: Bool { connection.withLock { $0.map { $0.rtde.failure == nil } ?? false } }

    /// Stream counters (received, skipped, unread).
    public var statistics: RTDEStreamStatistics? { connection.withLock { $0?.rtde.statistics } }

    /// The controller version, once connected.
    public var controllerVersion: RTDEControllerVersion? { connection.withLock { $0?.rtde.controllerVersion } }

    // MARK: - RobotLink

    /// Connects RTDE (and the dashboard), starts the stream, uploads the control script and arms its watchdog.
    public func connect() throws {
        disconnect()
        let c = configuration
        let dashboard = c.useDashboard ? try DashboardClient.connect(host: c.host, port: c.dashboardPort, timeout: c.ioTimeout) : nil
        if let dashboard, !Self.isLoopback(c.host) {
            guard try dashboard.isInRemoteControl() else {
                throw RTDEError.unexpectedReply(command: "is in remote control", reply: "false (enable remote control on the pendant)")
            }
        }
        let rtde = try RTDEClient.connect(host: c.host, port: c.rtdePort, timeout: c.ioTimeout)
        do {
            let frequency = c.frequency ?? rtde.controllerVersion.controlFrequency
            let output = try rtde.setupOutputs(names: Self.outputNames, frequency: frequency)
            var recipes: Recipes?
            if c.controlEnabled {
                let d = { (n: Int) in (0..<n).map { "input_double_register_\($0)" } }
                recipes = Recipes(move: try rtde.setupInputs(names: ["input_int_register_0"] + d(8)),
                                  servo: try rtde.setupInputs(names: ["input_int_register_0"] + d(11)),
                                  stop: try rtde.setupInputs(names: ["input_int_register_0"] + d(1)),
                                  clear: try rtde.setupInputs(names: ["input_int_register_0"]),
                                  speed: try rtde.setupInputs(names: ["input_int_register_0"] + d(8)))
            }
            rtde.setHandlers(package: { [weak self] values in self?.monitor(values) },
                             failure: { [weak self] error in self?.streamFailed(error) })
            try rtde.start()
            connection.withLock { $0 = Connection(rtde: rtde, output: output, recipes: recipes, dashboard: dashboard) }
            guardState.withLock { $0 = Guard(gate: SafetyGate(envelope: c.envelope, kinematics: c.kinematics)) }
            if let recipes { try startControlScript(recipes) }
        } catch {
            rtde.close()
            dashboard?.close()
            connection.withLock { $0 = nil }
            throw error
        }
    }

    /// The newest state; throws when the stream failed or is older than the staleness limit.
    public func latestState() throws -> ControllerState {
        guard let current = connection.withLock({ $0 }) else { throw RTDEError.connectionClosed("latestState: not connected") }
        let (values, age) = try current.rtde.newest()
        if age > configuration.stalenessLimit {
            throw RTDEError.stale(ageSeconds: age, limitSeconds: configuration.stalenessLimit)
        }
        return Self.state(from: values, recipe: current.output)
    }

    /// Admits `command` through the envelope and sends it; blocking moves return when finished.
    public func send(_ command: RobotCommand) throws {
        guard let current = connection.withLock({ $0 }), let recipes = current.recipes else {
            throw RTDEError.connectionClosed("send: not connected with control enabled")
        }
        if let latched = guardState.withLock({ g -> Error? in defer { g.latched = nil }; return g.latched }) { throw latched }
        if case .stop(let deceleration) = command { return try stopArm(current, recipes, deceleration: deceleration) }
        let state: ControllerState
        do {
            state = try latestState()
            try configuration.envelope.checkModes(state)
            if state.runtimeState != RuntimeState.playing.rawValue {
                throw SafetyViolation.programNotRunning(runtimeState: state.runtimeState)
            }
            try guardState.withLock { try $0.gate.admit(command, state: state, now: clock()) }
        } catch {
            try? stopArm(current, recipes, deceleration: 10)
            throw error
        }
        let zeros = { (n: Int) in [RTDEValue](repeating: .double(0), count: n) }
        switch command {
        case .servoJ(let q, let time, let lookahead, let gain), .servoL(let q, let time, let lookahead, let gain):
            let code = if case .servoJ = command { ControlCommandCode.servoJ } else { ControlCommandCode.servoL }
            try current.rtde.send(recipes.servo, [.int32(code.rawValue)] + q.map(RTDEValue.double) + zeros(2)
                                  + [.double(time), .double(lookahead), .double(gain)])
        case .speedL(let twist, let acceleration, let time):
            try current.rtde.send(recipes.speed, [.int32(ControlCommandCode.speedL.rawValue)] + twist.map(RTDEValue.double)
                                  + [.double(acceleration), .double(time)])
        case .moveJ(let target, let speed, let acceleration), .moveL(let target, let speed, let acceleration):
            let code = if case .moveJ = command { ControlCommandCode.moveJ } else { ControlCommandCode.moveL }
            try runBlocking(current, recipes, recipes.move,
                            [.int32(code.rawValue)] + target.map(RTDEValue.double) + [.double(speed), .double(acceleration)])
        case .stop:
            break
        }
    }

    /// Decelerates to standstill (servo/speed stop); never refused by the envelope.
    public func stop() throws {
        guard let current = connection.withLock({ $0 }), let recipes = current.recipes else { return }
        try stopArm(current, recipes, deceleration: 10)
    }

    /// Stops the arm and the control script, then closes every connection.
    public func disconnect() {
        guard let current = connection.withLock({ c -> Connection? in defer { c = nil }; return c }) else { return }
        if let recipes = current.recipes, current.rtde.failure == nil {
            try? current.rtde.send(recipes.clear, [.int32(ControlCommandCode.stopScript.rawValue)])
            let deadline = clock() + 1
            while clock() < deadline, let (values, _) = try? current.rtde.newest(),
                  Self.state(from: values, recipe: current.output).runtimeState == RuntimeState.playing.rawValue {
                MonotonicClock.sleep(until: clock() + 0.005)
            }
        }
        current.rtde.close()
        current.dashboard?.close()
    }

    // MARK: - Dashboard pass-through

    /// The dashboard connection, for power, brakes, protective-stop unlock and program control.
    public var dashboard: DashboardClient? { connection.withLock { $0?.dashboard } }

    // MARK: - Internals

    static func isLoopback(_ host: String) -> Bool { ["localhost", "127.0.0.1", "::1"].contains(host) }

    private func startControlScript(_ recipes: Recipes) throws {
        // Input registers keep their last value across connections: clear a leftover stop code (255)
        // first, or the new script would end at its first cycle (ur_rtde does the same).
        guard let current = connection.withLock({ $0 }) else { throw RTDEError.connectionClosed("script start") }
        try current.rtde.send(recipes.clear, [.int32(0)])
        try ScriptSender.send(ControlScript.text, host: configuration.host, port: configuration.scriptPort,
                              timeout: configuration.ioTimeout)
        try waitFor("control script start", timeout: 5) { state in
            state.runtimeState == RuntimeState.playing.rawValue && state.outputIntRegisters[0] == ControlScriptState.ready
        }
        try runBlocking(current, recipes, recipes.stop,
                        [.int32(ControlCommandCode.setWatchdog.rawValue), .double(configuration.watchdogFrequency)])
    }

    /// Sends a blocking command: wait ready, write, wait done (re-writing it to feed the watchdog), clear.
    private func runBlocking(_ current: Connection, _ recipes: Recipes, _ recipe: RTDERecipe, _ values: [RTDEValue]) throws {
        let clear: [RTDEValue] = [.int32(0)]
        try current.rtde.send(recipes.clear, clear)
        try waitFor("control script ready", timeout: configuration.ioTimeout,
                    keepAlive: { try current.rtde.send(recipes.clear, clear) }) {
            $0.outputIntRegisters[0] == ControlScriptState.ready
        }
        try current.rtde.send(recipe, values)
        try waitFor("command done", timeout: configuration.moveTimeout, keepAlive: { try current.rtde.send(recipe, values) }) {
            $0.outputIntRegisters[0] == ControlScriptState.done
        }
        try current.rtde.send(recipes.clear, clear)
        try waitFor("control script ready after clear", timeout: configuration.ioTimeout,
                    keepAlive: { try current.rtde.send(recipes.clear, clear) }) {
            $0.outputIntRegisters[0] == ControlScriptState.ready
        }
    }

    /// Polls the newest state until `condition` holds; stops on a safety stop or a program end.
    private func waitFor(_ what: String, timeout: Double, keepAlive: (() throws -> Void)? = nil,
                         _ condition: (ControllerState) -> Bool) throws {
        let deadline = clock() + timeout
        var nextKeepAlive = clock() + 0.02
        while clock() < deadline {
            let state = try latestState()
            if condition(state) { return }
            if state.isSafetyStopped { throw SafetyViolation.safetyStop(statusBits: state.safetyStatusBits) }
            if what != "control script start", state.runtimeState != RuntimeState.playing.rawValue {
                throw SafetyViolation.programNotRunning(runtimeState: state.runtimeState)
            }
            if let keepAlive, clock() >= nextKeepAlive {
                try keepAlive()
                nextKeepAlive = clock() + 0.02
            }
            MonotonicClock.sleep(until: clock() + 0.002)
        }
        throw RTDEError.timeout(operation: what, seconds: timeout)
    }

    private func stopArm(_ current: Connection, _ recipes: Recipes, deceleration: Double) throws {
        guardState.withLock { $0.gate.reset() }
        let state = try? latestState()
        // Nothing to stop (or no script to do it) when the program is not running.
        guard let state, state.runtimeState == RuntimeState.playing.rawValue, !state.isSafetyStopped else { return }
        try runBlocking(current, recipes, recipes.stop,
                        [.int32(ControlCommandCode.servoStop.rawValue), .double(max(deceleration, 0.1))])
    }

    /// Receive-thread check of every package: measured TCP speed and the driver-side watchdog.
    private func monitor(_ values: [RTDEValue]) {
        guard let current = connection.withLock({ $0 }), let recipes = current.recipes else { return }
        let state = Self.state(from: values, recipe: current.output)
        let violation: Error? = guardState.withLock { g in
            guard g.latched == nil else { return nil }
            do {
                try g.gate.checkWatchdog(now: clock())
                if g.gate.isStreaming { try g.gate.envelope.checkMeasuredSpeed(state) }
                return nil
            } catch {
                g.latched = error
                g.gate.reset()
                return error
            }
        }
        // Fire-and-forget stop: the receive thread must not wait for states it delivers itself.
        if violation != nil {
            try? current.rtde.send(recipes.stop, [.int32(ControlCommandCode.servoStop.rawValue), .double(10)])
        }
    }

    /// The stream broke: stop the program through the dashboard (RTDE may be unusable) and close.
    private func streamFailed(_ error: RTDEError) {
        guard let current = connection.withLock({ $0 }) else { return }
        _ = try? current.dashboard?.send("stop")
        current.rtde.close()
    }

    /// Maps an output package to a ``ControllerState``.
    static func state(from values: [RTDEValue], recipe: RTDERecipe) -> ControllerState {
        func v(_ name: String) -> RTDEValue? { recipe.value(name, in: values) }
        var state = ControllerState()
        if case .double(let x)? = v("timestamp") { state.timestamp = x }
        if case .vector6d(let x)? = v("actual_q") { state.actualQ = x }
        if case .vector6d(let x)? = v("target_q") { state.targetQ = x }
        if case .vector6d(let x)? = v("actual_qd") { state.actualQd = x }
        if case .vector6d(let x)? = v("actual_TCP_pose") { state.actualTCPPose = x }
        if case .vector6d(let x)? = v("actual_TCP_speed") { state.actualTCPSpeed = x }
        if case .int32(let x)? = v("robot_mode") { state.robotMode = x }
        if case .int32(let x)? = v("safety_mode") { state.safetyMode = x }
        if case .uint32(let x)? = v("safety_status_bits") { state.safetyStatusBits = x }
        if case .uint32(let x)? = v("runtime_state") { state.runtimeState = x }
        if case .uint32(let x)? = v("robot_status_bits") { state.robotStatusBits = x }
        if case .double(let x)? = v("speed_scaling") { state.speedScaling = x }
        if case .uint64(let x)? = v("actual_digital_input_bits") { state.digitalInputBits = x }
        if case .uint64(let x)? = v("actual_digital_output_bits") { state.digitalOutputBits = x }
        for (index, name) in recipe.names.enumerated() {
            if let register = RTDEVariables.registerIndex(name, "output_int_register_"), case .int32(let x) = values[index] {
                state.outputIntRegisters[register] = x
            }
        }
        return state
    }
}
