import ProphRLCore
import RobotRTDE
import Testing
import URControllerSim

/// Faults of the controller's stream: silence and garbage end in typed errors and a stopped arm, never a hang.
@Suite("RTDE stream faults", .serialized)
struct RTDEStreamFaultTests {
    @Test("A controller that stops streaming: stale state at once, then a timeout and a safe stop")
    func stall() throws {
        let sim = try SimHarness.startSim()
        defer { sim.stop() }
        var configuration = SimHarness.configuration(for: sim)
        configuration.ioTimeout = 0.5
        let link = TCPRobotLink(configuration: configuration)
        try link.connect()
        defer { link.disconnect() }
        sim.freezeOutputs(true)
        #expect(SimHarness.eventually(timeout: 0.5) {
            if case .stale? = (Result { try link.latestState() }).failure as? RTDEError { return true }
            return false
        })
        #expect(throws: RTDEError.self) { try link.send(.servoJ(joints: SimHarness.home)) }
        #expect(SimHarness.eventually(timeout: 2) { !link.isConnected })
        #expect(throws: RTDEError.timeout(operation: "data stream", seconds: 0.5)) { try link.latestState() }
        // The link stopped the program through the dashboard; the controller side agrees.
        #expect(SimHarness.eventually { sim.snapshot().runtimeState == .stopped })
    }

    @Test("A controller text message mid-stream is recorded, not an error")
    func textMessage() throws {
        let sim = try SimHarness.startSim()
        defer { sim.stop() }
        let link = TCPRobotLink(configuration: SimHarness.configuration(for: sim))
        try link.connect()
        defer { link.disconnect() }
        let message = RTDETextMessage(message: "C204A3: protective stop", source: "Controller", level: 2)
        sim.injectRTDEBytes(try RTDEPackage.textMessage(message).encoded())
        #expect(SimHarness.eventually { link.statistics?.messages.last == "[2] Controller: C204A3: protective stop" })
        #expect(link.isConnected)
        _ = try link.latestState()
    }

    @Test("Seeded garbage injected into the stream: the link stays healthy or fails typed; the arm ends stopped")
    func garbage() throws {
        var rng = SeededGenerator(seed: 2024)
        var typedFailures = 0
        for _ in 0..<4 {
            let sim = try SimHarness.startSim()
            defer { sim.stop() }
            let link = TCPRobotLink(configuration: SimHarness.configuration(for: sim))
            try link.connect()
            let bytes = (0..<(3 + Int(rng.next() % 64))).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            sim.injectRTDEBytes(bytes)
            SimHarness.sleep(until: SimHarness.now() + 0.5)
            switch Result(catching: { try link.latestState() }) {
            case .success:
                #expect(link.isConnected)
            case .failure(let error):
                #expect(error is RTDEError, "untyped failure \(error)")
                typedFailures += 1
                #expect(SimHarness.eventually(timeout: 3) { SimHarness.maxAbs(sim.snapshot().qd) < 1e-9 })
            }
            link.disconnect()
        }
        #expect(typedFailures > 0)
    }
}

extension Result {
    /// The error of a failed result, nil on success.
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
