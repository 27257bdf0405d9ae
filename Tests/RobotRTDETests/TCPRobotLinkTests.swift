import ProphRLCore
import RobotRTDE
import Testing
import URControllerSim

#if canImport(Glibc)
import Glibc
#endif

/// ProphRL's driver end to end against the simulator: moves, servo streaming, and every stop path.
@Suite("TCPRobotLink against the simulator", .serialized)
struct TCPRobotLinkTests {
    static var longRun: Bool { getenv("PROPHRL_LONG_TESTS").map { String(cString: $0) == "1" } ?? false }

    @Test("Connect uploads the script, arms the watchdog; moveJ and moveL reach their targets")
    func moves() throws {
        let sim = try SimHarness.startSim()
        defer { sim.stop() }
        let link = TCPRobotLink(configuration: SimHarness.configuration(for: sim))
        try link.connect()
        defer { link.disconnect() }
        #expect(sim.snapshot().runtimeState == .playing)
        #expect(sim.snapshot().watchdogFrequency == 10)
        let target = [0.2, -1.4, 1.4, -1.6, -1.5, 0.1]
        try link.send(.moveJ(joints: target, speed: 1.0, acceleration: 2.0))
        #expect(SimHarness.maxDifference(sim.snapshot().q, target) < 1e-9)
        let state = try link.latestState()
        #expect(SimHarness.maxDifference(state.actualQ, target) < 1e-9)
        var pose = state.actualTCPPose
        pose[2] += 0.05
        try link.send(.moveL(pose: pose, speed: 0.2, acceleration: 1.0))
        let reached = sim.snapshot().tcpPose
        #expect(SimHarness.maxDifference(Array(reached[0..<3]), Array(pose[0..<3])) < 1e-6)
        link.disconnect()
        #expect(SimHarness.eventually { sim.snapshot().runtimeState == .stopped })
    }

    @Test("A 500 Hz servo stream (2 s; 10 s with PROPHRL_LONG_TESTS=1) tracks with < 1% skipped packages")
    func servoStream() throws {
        let sim = try SimHarness.startSim()
        defer { sim.stop() }
        let link = TCPRobotLink(configuration: SimHarness.configuration(for: sim))
        try link.connect()
        defer { link.disconnect() }
        let start = try link.latestState().actualQ
        let before = link.statistics ?? RTDEStreamStatistics()
        let seconds = Self.longRun ? 10.0 : 2.0
        let final = try SimHarness.servoStream(link, from: start, seconds: seconds)
        try link.stop()
        let after = link.statistics ?? RTDEStreamStatistics()
        let received = after.received - before.received
        let skipped = after.skipped - before.skipped
        let fraction = Double(skipped) / Double(max(received + skipped, 1))
        print("servo stream \(seconds) s: received \(received), skipped \(skipped) (\(fraction * 100)%), "
              + "max interval \(after.maxInterval * 1000) ms, sim late ticks \(sim.snapshot().skippedTicks)")
        #expect(Double(received) > seconds * 500 * 0.9)
        #expect(fraction < 0.01)
        #expect(SimHarness.eventually { SimHarness.maxDifference(sim.snapshot().q, final) < 1e-6 })
        #expect(SimHarness.maxAbs(sim.snapshot().qd) < 1e-9)
    }

    @Test("Envelope violations stop the arm and throw with the offending value")
    func envelope() throws {
        let sim = try SimHarness.startSim()
        defer { sim.stop() }
        let link = TCPRobotLink(configuration: SimHarness.configuration(for: sim))
        try link.connect()
        defer { link.disconnect() }
        var q = try link.latestState().actualQ
        q[1] += 0.2   // 0.2 rad in 2 ms
        #expect(throws: SafetyViolation.self) { try link.send(.servoJ(joints: q)) }
        q[1] = 7
        #expect(throws: SafetyViolation.jointOutOfRange(joint: 1, value: 7, lower: -2 * .pi, upper: 2 * .pi)) {
            try link.send(.moveJ(joints: q))
        }
        #expect(SimHarness.maxDifference(sim.snapshot().q, SimHarness.home) < 1e-9)
        #expect(sim.snapshot().runtimeState == .playing)   // stopped motion, script still ready
    }

    @Test("Commands that stop arriving trip the watchdogs: the arm stops")
    func watchdog() throws {
        let sim = try SimHarness.startSim()
        defer { sim.stop() }
        let link = TCPRobotLink(configuration: SimHarness.configuration(for: sim))
        try link.connect()
        defer { link.disconnect() }
        let start = try link.latestState().actualQ
        var q = start
        // Ramp up to a steady 0.1 rad/s, then go silent while moving.
        var deadline = SimHarness.now()
        for tick in 1...150 {
            q[0] += 0.1 * min(Double(tick) / 100, 1) * 0.002
            try link.send(.servoJ(joints: q))
            deadline += 0.002
            SimHarness.sleep(until: deadline)
        }
        #expect(SimHarness.eventually(timeout: 1) { SimHarness.maxAbs(sim.snapshot().qd) < 1e-9 })
        #expect(throws: SafetyViolation.self) { try link.send(.servoJ(joints: q)) }
    }

    @Test("The controller's RTDE watchdog stops the script when the client goes silent")
    func controllerWatchdog() throws {
        let sim = try SimHarness.startSim()
        defer { sim.stop() }
        let link = TCPRobotLink(configuration: SimHarness.configuration(for: sim))
        try link.connect()
        #expect(sim.snapshot().runtimeState == .playing)
        // No command for > 1/10 s: the script's watchdog (action "stop") ends the program.
        #expect(SimHarness.eventually(timeout: 1) { sim.snapshot().runtimeState == .stopped })
        #expect(sim.snapshot().events.contains { $0.contains("RTDE watchdog") })
        #expect(SimHarness.eventually { (try? link.latestState().runtimeState) == RuntimeState.stopped.rawValue })
        #expect(throws: SafetyViolation.programNotRunning(runtimeState: 1)) { try link.send(.servoJ(joints: SimHarness.home)) }
        link.disconnect()
    }

    @Test("Protective stop and e-stop: the arm halts, commands are refused, release is deliberate")
    func safetyStops() throws {
        let sim = try SimHarness.startSim()
        defer { sim.stop() }
        let link = TCPRobotLink(configuration: SimHarness.configuration(for: sim))
        try link.connect()
        var q = try link.latestState().actualQ
        for tick in 1...20 { q[0] += 1e-6 * Double(tick); try link.send(.servoJ(joints: q)) }
        sim.triggerProtectiveStop()
        #expect(SimHarness.eventually { (try? link.latestState().safetyMode) == SafetyMode.protectiveStop.rawValue })
        #expect(throws: SafetyViolation.safetyStop(statusBits: SafetyMode.protectiveStop.statusBits)) {
            try link.send(.servoJ(joints: q))
        }
        #expect(SimHarness.maxAbs(sim.snapshot().qd) == 0)
        try link.dashboard?.unlockProtectiveStop()
        try link.connect()   // restarts the control script
        try link.send(.moveJ(joints: SimHarness.home))
        sim.triggerEmergencyStop()
        #expect(SimHarness.eventually { (try? link.latestState().robotMode) == RobotMode.powerOff.rawValue })
        #expect(throws: SafetyViolation.self) { try link.send(.moveJ(joints: SimHarness.home)) }
        sim.releaseEmergencyStop()
        try link.dashboard?.powerOnAndReleaseBrakes(timeout: 2)
        try link.connect()
        try link.send(.moveJ(joints: q))
        link.disconnect()
    }

    @Test("A dropped connection mid-stream stops the arm and surfaces a typed error")
    func disconnectMidStream() throws {
        let sim = try SimHarness.startSim()
        defer { sim.stop() }
        let link = TCPRobotLink(configuration: SimHarness.configuration(for: sim))
        try link.connect()
        defer { link.disconnect() }
        var q = try link.latestState().actualQ
        for tick in 1...100 {
            q[0] += 0.1 * Double(tick) / 100 * 0.002
            try link.send(.servoJ(joints: q))
            SimHarness.sleep(until: SimHarness.now() + 0.002)
        }
        sim.dropRTDEClients()
        #expect(SimHarness.eventually(timeout: 1) { sim.snapshot().runtimeState == .stopped })
        #expect(SimHarness.eventually(timeout: 2) { SimHarness.maxAbs(sim.snapshot().qd) < 1e-9 })
        #expect(throws: RTDEError.self) { try link.latestState() }
        #expect(!link.isConnected)
    }

    @Test("A malformed package from the controller is a typed error and a safe stop, never a crash")
    func malformedPackage() throws {
        let sim = try SimHarness.startSim()
        defer { sim.stop() }
        let link = TCPRobotLink(configuration: SimHarness.configuration(for: sim))
        try link.connect()
        defer { link.disconnect() }
        sim.injectRTDEBytes([0x00, 0x02, 0x55])
        #expect(SimHarness.eventually { !link.isConnected })
        // `actual` counts whatever bytes were buffered with the bad header, which depends on timing.
        let error = #expect(throws: RTDEError.self) { try link.latestState() }
        if case .invalidPackageSize(let declared, _)? = error { #expect(declared == 2) } else { Issue.record("unexpected \(String(describing: error))") }
        #expect(SimHarness.eventually { sim.snapshot().runtimeState == .stopped })
    }
}
