import ProphRLCore
import Testing

/// The adapter's envelope: modes, ranges, workspace, per-step change, speed, acceleration, watchdog.
@Suite("Safety envelope")
struct SafetyEnvelopeTests {
    static let home = [0.0, -1.5708, 1.5708, -1.5708, -1.5708, 0]
    let kinematics = UR30Kinematics()

    func runningState() throws -> ControllerState {
        ControllerState(actualQ: Self.home, actualTCPPose: try kinematics.forward(Self.home),
                   runtimeState: RuntimeState.playing.rawValue)
    }

    @Test("Motion is refused unless RUNNING, NORMAL and no stop bits; stop is always admitted")
    func modes() throws {
        var gate = SafetyGate(envelope: .ur30Default)
        var state = try runningState()
        state.safetyMode = SafetyMode.protectiveStop.rawValue
        state.safetyStatusBits = SafetyMode.protectiveStop.statusBits
        #expect(throws: SafetyViolation.safetyStop(statusBits: SafetyMode.protectiveStop.statusBits)) {
            try gate.admit(.servoJ(joints: Self.home), state: state, now: 0)
        }
        state = try runningState()
        state.safetyMode = SafetyMode.reduced.rawValue
        state.safetyStatusBits = SafetyStatusBits.reduced
        #expect(throws: SafetyViolation.safetyNotNormal(safetyMode: 2)) {
            try gate.admit(.moveJ(joints: Self.home), state: state, now: 0)
        }
        state = try runningState()
        state.robotMode = RobotMode.idle.rawValue
        #expect(throws: SafetyViolation.robotNotRunning(robotMode: 5)) {
            try gate.admit(.moveJ(joints: Self.home), state: state, now: 0)
        }
        state.safetyStatusBits = SafetyMode.robotEmergencyStop.statusBits
        try gate.admit(.stop(), state: state, now: 0)
    }

    @Test("Joint ranges and the workspace box are enforced with the offending value")
    func ranges() throws {
        var gate = SafetyGate(envelope: .ur30Default)
        let state = try runningState()
        var q = Self.home
        q[2] = 7
        #expect(throws: SafetyViolation.jointOutOfRange(joint: 2, value: 7, lower: -2 * .pi, upper: 2 * .pi)) {
            try gate.admit(.moveJ(joints: q), state: state, now: 0)
        }
        // The zero pose hangs the flange at z = 0.077 but x = -1.1407 is inside; push z below the box.
        var low = try kinematics.forward(Self.home)
        low[2] = -0.2
        #expect(throws: SafetyViolation.outsideWorkspace(axis: 2, value: -0.2, lower: 0, upper: 1.4)) {
            try gate.admit(.moveL(pose: low), state: state, now: 0)
        }
        #expect(throws: SafetyViolation.nonFinite(name: "joints", index: 1, value: .infinity)) {
            try gate.admit(.moveJ(joints: [0, .infinity, 0, 0, 0, 0]), state: state, now: 0)
        }
        #expect(throws: SafetyViolation.parameterOutOfRange(name: "speed", value: 3, lower: 1e-6, upper: 1.05)) {
            try gate.admit(.moveJ(joints: Self.home, speed: 3), state: state, now: 0)
        }
        #expect(throws: SafetyViolation.parameterOutOfRange(name: "gain", value: 50, lower: 100, upper: 2000)) {
            try gate.admit(.servoJ(joints: Self.home, gain: 50), state: state, now: 0)
        }
    }

    @Test("A smooth servo stream passes; a jump, a fast step or a sharp acceleration is refused")
    func servoSteps() throws {
        var gate = SafetyGate(envelope: .ur30Default)
        let state = try runningState()
        var q = Self.home
        // 0.5 s smooth ramp of the base joint: v(t) = 0.2 · t / 0.5 rad/s.
        for tick in 1...250 {
            q[0] += 0.2 * Double(tick) / 250 * 0.002
            try gate.admit(.servoJ(joints: q), state: state, now: Double(tick) * 0.002)
        }
        var jump = q
        jump[1] += 0.05   // shoulder 0.05 rad in 2 ms = 25 rad/s
        #expect(throws: SafetyViolation.self) { try gate.admit(.servoJ(joints: jump), state: state, now: 0.502) }
        do {
            try gate.admit(.servoJ(joints: jump), state: state, now: 0.502)
        } catch let violation as SafetyViolation {
            guard case .jointSpeedExceeded(let joint, let value, _) = violation else {
                Issue.record("expected jointSpeedExceeded, got \(violation)"); return
            }
            #expect(joint == 1 && abs(value - 25) < 1e-6)
        }
        // A 1.5 mm Cartesian step in one tick: within the 5 mm step cap but 0.75 m/s > 0.5 m/s.
        var fresh = SafetyGate(envelope: .ur30Default)
        var pose = try kinematics.forward(Self.home)
        pose[0] += 0.0015
        do {
            try fresh.admit(.servoL(pose: pose), state: state, now: 0)
            Issue.record("a 0.75 m/s step was admitted")
        } catch let violation as SafetyViolation {
            guard case .tcpSpeedExceeded(let value, let limit) = violation else {
                Issue.record("expected tcpSpeedExceeded, got \(violation)"); return
            }
            #expect(abs(value - 0.75) < 1e-6 && limit == 0.5)
        }
        // From rest, 0.4 m/s in one tick is 200 m/s², above the 10 m/s² limit.
        var accel = SafetyGate(envelope: .ur30Default)
        var p2 = try kinematics.forward(Self.home)
        p2[0] += 0.0008
        #expect(throws: SafetyViolation.self) { try accel.admit(.servoL(pose: p2), state: state, now: 0) }
    }

    @Test("After a late wake-up the acceleration is measured between the intervals' centres, not over the short one")
    func accelerationAcrossUnevenIntervals() throws {
        let state = try runningState()
        let start = try kinematics.forward(Self.home)
        // A 1 cm minimum-jerk move in 0.1 s (peak 5.77 m/s² < 10), sampled at 2 ms except one 40 ms late wake-up.
        let distance = 0.01, duration = 0.1
        func x(_ t: Double) -> Double { let s = min(t / duration, 1); return distance * (10 * s * s * s - 15 * s * s * s * s + 6 * s * s * s * s * s) }
        var times = [0.002, 0.042]
        while times.last! < duration { times.append(times.last! + 0.002) }
        var gate = SafetyGate(envelope: .ur30Default)
        var previousTime = 0.0
        var naivePeak = 0.0, previousVelocity = 0.0
        for t in times {
            var pose = start
            pose[0] += x(t)
            let interval = t - previousTime
            try gate.admit(.servoL(pose: pose, time: interval), state: state, now: t)
            let velocity = (x(t) - x(previousTime)) / interval
            naivePeak = max(naivePeak, abs(velocity - previousVelocity) / interval)
            previousVelocity = velocity; previousTime = t
        }
        // The estimate over the short interval alone would have stopped this smooth motion.
        #expect(naivePeak > 30)
        // A real jump in velocity right after a long interval is still refused: 0.05 → 0.4 m/s is 16.7 m/s².
        var sharp = SafetyGate(envelope: .ur30Default)
        var pose = start
        pose[0] += 0.0005
        try sharp.admit(.servoL(pose: pose, time: 0.01), state: state, now: 0.01)
        pose[0] += 0.0005
        try sharp.admit(.servoL(pose: pose, time: 0.01), state: state, now: 0.02)
        pose[0] += 0.0008
        do {
            try sharp.admit(.servoL(pose: pose, time: 0.002), state: state, now: 0.022)
            Issue.record("a 0.35 m/s jump in 6 ms was admitted")
        } catch let violation as SafetyViolation {
            guard case .tcpAccelerationExceeded(let value, _) = violation else {
                Issue.record("expected tcpAccelerationExceeded, got \(violation)"); return
            }
            #expect(abs(value - 0.35 / 0.006) < 1e-6)
        }
    }

    @Test("Per-step translation beyond the cap is refused even at a long servo time")
    func stepCap() throws {
        var gate = SafetyGate(envelope: try SafetyEnvelope(workspaceLower: [-2, -2, -1], workspaceUpper: [2, 2, 2],
                                                            maxTCPSpeed: 10, maxTCPAcceleration: 1000,
                                                            maxStepTranslation: 0.005, maxStepRotation: 0.05))
        let state = try runningState()
        var pose = try kinematics.forward(Self.home)
        pose[1] += 0.02
        do {
            try gate.admit(.servoL(pose: pose, time: 0.1), state: state, now: 0)
            Issue.record("a 2 cm step was admitted")
        } catch let violation as SafetyViolation {
            guard case .stepTranslationExceeded(let value, let limit) = violation else {
                Issue.record("expected stepTranslationExceeded, got \(violation)"); return
            }
            #expect(abs(value - 0.02) < 1e-6 && limit == 0.005)
        }
    }

    @Test("The watchdog trips when a stream goes silent")
    func watchdog() throws {
        var gate = SafetyGate(envelope: .ur30Default)
        let state = try runningState()
        try gate.checkWatchdog(now: 100)   // not streaming: nothing to watch
        try gate.admit(.servoJ(joints: Self.home), state: state, now: 1.0)
        try gate.checkWatchdog(now: 1.05)
        #expect(throws: SafetyViolation.watchdogExpired(silenceSeconds: 0.25, limitSeconds: 0.1)) {
            try gate.checkWatchdog(now: 1.25)
        }
        try gate.admit(.stop(), state: state, now: 1.3)
        try gate.checkWatchdog(now: 10)
    }

    @Test("Envelope construction validates its limits")
    func construction() {
        #expect(throws: ValidationError.self) {
            try SafetyEnvelope(workspaceLower: [0, 0, 0], workspaceUpper: [1, -1, 1], maxTCPSpeed: 1,
                               maxTCPAcceleration: 1, maxStepTranslation: 1, maxStepRotation: 1)
        }
        #expect(throws: ValidationError.outOfRange(argument: "maxTCPSpeed", expected: "> 0", actual: -1)) {
            try SafetyEnvelope(workspaceLower: [0, 0, 0], workspaceUpper: [1, 1, 1], maxTCPSpeed: -1,
                               maxTCPAcceleration: 1, maxStepTranslation: 1, maxStepRotation: 1)
        }
    }
}
