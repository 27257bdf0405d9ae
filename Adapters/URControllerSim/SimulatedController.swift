import ProphRLCore

/// The simulated controller's state: arm, modes, RTDE registers and the emulated control program.
///
/// Pure logic, advanced by ``tick(dt:)`` from the 500 Hz loop of ``URControllerSim``; every
/// network session reads and writes it under the simulator's lock.
struct SimulatedController: Sendable {
    /// What the interpreter is running.
    enum Program: Sendable, Equatable {
        case none
        /// A register-driven control script (ur_rtde's or the project's): emulated register protocol.
        case registerScript(name: String)
        /// A one-shot motion program (`movej`/`movel`/`stopj` …); ends when the motion ends.
        case oneShot(name: String)
        /// A PolyScope program started from the dashboard (`load` + `play`); holds still.
        case polyscope(name: String)
    }

    /// Phase of a non-real-time register command.
    enum CommandPhase: Sendable, Equatable { case idle, executing(Int32), done(Int32) }

    var arm: SimulatedArm
    var time: Double = 0
    var robotMode: RobotMode
    var safetyMode: SafetyMode = .normal
    var runtimeState: RuntimeState = .stopped
    var program: Program = .none
    var loadedProgram: String?
    var inputInt = [Int32](repeating: 0, count: RTDEVariables.registerCount)
    var inputDouble = [Double](repeating: 0, count: RTDEVariables.registerCount)
    var outputInt = [Int32](repeating: 0, count: RTDEVariables.registerCount)
    var outputDouble = [Double](repeating: 0, count: RTDEVariables.registerCount)
    var inputBits: [UInt32] = [0, 0]
    var digitalOutputs: UInt64 = 0
    var speedSlider: Double = 1
    var phase: CommandPhase = .idle
    /// Controller time of the last RTDE write of `input_int_register_0` (the watched variable).
    var lastCommandWrite: Double = 0
    /// Minimum write frequency of the RTDE watchdog armed by the script (nil = none).
    var watchdogFrequency: Double?
    /// Log of notable events (program start/stop, watchdog, safety), newest last.
    var events: [String] = []

    init(joints: [Double], robotMode: RobotMode) {
        arm = SimulatedArm(q: joints)
        self.robotMode = robotMode
    }

    var robotStatusBits: UInt32 {
        var bits: UInt32 = 0
        if robotMode == .powerOn || robotMode == .idle || robotMode == .running || robotMode == .backdrive {
            bits |= RobotStatusBits.powerOn
        }
        if runtimeState == .playing { bits |= RobotStatusBits.programRunning }
        return bits
    }

    // MARK: - Program control

    /// Starts a program received on a script port; a new program aborts the running one.
    mutating func startProgram(text: String) {
        stopProgram(reason: "aborted by a new program", decelerate: true)
        let name = Self.programName(text)
        guard robotMode == .running, safetyMode == .normal else {
            events.append("program \(name) refused: robot \(robotMode), safety \(safetyMode)")
            return
        }
        if text.contains("read_input_integer_register") {
            program = .registerScript(name: name)
            outputInt[0] = ControlScriptState.ready
            phase = .idle
            lastCommandWrite = time
        } else if let motion = ScriptMotionParser.motion(in: text) {
            program = .oneShot(name: name)
            arm.command(motion)
        } else {
            events.append("program \(name) has no motion the simulator understands; it ends at once")
            return
        }
        runtimeState = .playing
        events.append("program \(name) started")
    }

    /// Stops the running program; the arm decelerates (or halts when `decelerate` is false).
    mutating func stopProgram(reason: String, decelerate: Bool) {
        guard program != .none || runtimeState != .stopped else { return }
        program = .none
        runtimeState = .stopped
        watchdogFrequency = nil
        phase = .idle
        outputInt[0] = 0
        if decelerate { arm.command(.stopping(deceleration: 4)) } else { arm.halt() }
        events.append("program stopped: \(reason)")
    }

    /// Enters a safety stop: the arm halts and the program stops.
    mutating func enterSafetyStop(_ mode: SafetyMode) {
        safetyMode = mode
        arm.halt()
        stopProgram(reason: "safety stop \(mode)", decelerate: false)
        if mode == .robotEmergencyStop || mode == .systemEmergencyStop { robotMode = .powerOff }
        events.append("safety mode \(mode)")
    }

    // MARK: - RTDE inputs

    /// Applies one input data package of `names`/`values`.
    ///
    /// A real-time command is latched at once: a client that writes a servo target and a watchdog
    /// kick (`int0 = 0`) within one 2 ms cycle must not lose the target to last-writer-wins registers.
    mutating func writeInputs(names: [String], values: [RTDEValue]) {
        defer {
            if case .registerScript = program, names.contains("input_int_register_0") { applyRealTime(inputInt[0]) }
        }
        for (name, value) in zip(names, values) {
            if let i = RTDEVariables.registerIndex(name, "input_int_register_"), case .int32(let v) = value {
                inputInt[i] = v
                if i == 0 { lastCommandWrite = time }
            } else if let i = RTDEVariables.registerIndex(name, "input_double_register_"), case .double(let v) = value {
                inputDouble[i] = v
            } else if name == "input_bit_registers0_to_31", case .uint32(let v) = value {
                inputBits[0] = v
            } else if name == "input_bit_registers32_to_63", case .uint32(let v) = value {
                inputBits[1] = v
            } else if name == "speed_slider_fraction", case .double(let v) = value {
                speedSlider = min(max(v, 0), 1)
            }
        }
    }

    // MARK: - Control loop

    /// One control cycle: watchdog, register protocol of the script, arm integration, clock.
    mutating func tick(dt: Double) {
        time += dt
        if case .registerScript = program { runRegisterProtocol() }
        arm.step(dt: dt)
        if case .oneShot(let name) = program, arm.blockingMotionFinished {
            program = .none
            runtimeState = .stopped
            events.append("program \(name) finished")
        }
    }

    private var doubles: [Double] { inputDouble }

    /// Mirrors the uploaded script: read the command register, act, answer in `output_int_register_0`.
    private mutating func runRegisterProtocol() {
        if let frequency = watchdogFrequency, time - lastCommandWrite > 1 / frequency {
            stopProgram(reason: "RTDE watchdog: input_int_register_0 not written for \(time - lastCommandWrite) s",
                        decelerate: true)
            return
        }
        let code = inputInt[0]
        let d = inputDouble
        guard let command = ControlCommandCode(rawValue: code) else {
            // Codes the simulator does not model finish at once, as a no-op.
            finishNonRealTime(code, started: true)
            return
        }
        if command == .none {
            phase = .idle
            outputInt[0] = ControlScriptState.ready
            return
        }
        if command == .stopScript {
            stopProgram(reason: "stopScript", decelerate: true)
            return
        }
        if command.isRealTime {
            applyRealTime(code)
            phase = .idle
            outputInt[0] = ControlScriptState.ready
            return
        }
        switch phase {
        case .idle:
            switch command {
            case .moveJ:
                arm.command(.moveJ(start: [], target: Array(d[0..<6]), speed: max(d[6], 1e-3),
                                   acceleration: max(d[7], 1e-3), progress: 0, rate: 0))
            case .moveL:
                arm.command(.moveL(start: [], target: Array(d[0..<6]), speed: max(d[6], 1e-3),
                                   acceleration: max(d[7], 1e-3), progress: 0, rate: 0))
            case .speedStop, .servoStop, .stopL, .stopJ:
                arm.command(.stopping(deceleration: max(d[0], 0.1)))
            case .setWatchdog:
                watchdogFrequency = d[0] > 0 ? d[0] : nil
                lastCommandWrite = time
            default: break
            }
            phase = .executing(code)
            outputInt[0] = 0
            finishNonRealTime(code, started: false)
        case .executing:
            finishNonRealTime(code, started: false)
        case .done:
            outputInt[0] = ControlScriptState.done
        }
    }

    /// Starts or updates a real-time motion (servo or speed) from the argument registers.
    private mutating func applyRealTime(_ code: Int32) {
        guard let command = ControlCommandCode(rawValue: code), command.isRealTime else { return }
        let d = inputDouble
        switch command {
        case .servoJ: arm.command(.servoJ(target: Array(d[0..<6])))
        case .servoL: arm.command(.servoL(pose: Array(d[0..<6])))
        case .speedJ: arm.command(.speedJ(velocity: Array(d[0..<6]), acceleration: max(d[6], 1e-3)))
        case .speedL: arm.command(.speedL(twist: Array(d[0..<6]), acceleration: max(d[6], 1e-3)))
        default: break
        }
    }

    /// Signals done once the blocking part of a non-real-time command has finished.
    private mutating func finishNonRealTime(_ code: Int32, started: Bool) {
        if started || arm.blockingMotionFinished {
            phase = .done(code)
            outputInt[0] = ControlScriptState.done
        }
    }

    /// The name after `def`/`sec` on the first such line, or "program".
    static func programName(_ text: String) -> String {
        for line in text.split(separator: "\n") where line.hasPrefix("def ") || line.hasPrefix("sec ") {
            return String(line.dropFirst(4).prefix { $0 != "(" && $0 != ":" })
        }
        return "program"
    }
}
