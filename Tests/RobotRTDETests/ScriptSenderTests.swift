import ProphRLCore
import RobotRTDE
import Testing
import URControllerSim

/// One-shot URScript programs sent to a script port run their motion and end.
@Suite("Script sender against the simulator", .serialized)
struct ScriptSenderTests {
    @Test("A movej program moves the arm and ends; a new program aborts the running one")
    func oneShot() throws {
        let sim = try SimHarness.startSim()
        defer { sim.stop() }
        let target = [0.3, -1.4, 1.3, -1.5, -1.6, 0.2]
        try ScriptSender.send(ScriptSender.moveJProgram(target, speed: 1.0, acceleration: 2.0), host: "127.0.0.1",
                              port: sim.scriptPorts[2])
        #expect(SimHarness.eventually { sim.snapshot().runtimeState == .playing })
        #expect(SimHarness.eventually(timeout: 5) { sim.snapshot().runtimeState == .stopped })
        #expect(SimHarness.maxDifference(sim.snapshot().q, target) < 1e-9)

        // A long move, interrupted by a stop program on the primary port.
        try ScriptSender.send(ScriptSender.moveJProgram(SimHarness.home, speed: 0.1, acceleration: 0.5), host: "127.0.0.1",
                              port: sim.scriptPorts[0])
        #expect(SimHarness.eventually { SimHarness.maxAbs(sim.snapshot().qd) > 0.01 })
        try ScriptSender.send("def halt():\n  stopj(4.0)\nend\n", host: "127.0.0.1", port: sim.scriptPorts[1])
        #expect(SimHarness.eventually { sim.snapshot().events.contains { $0.contains("aborted by a new program") } })
        #expect(SimHarness.eventually(timeout: 3) { SimHarness.maxAbs(sim.snapshot().qd) < 1e-9 })
        #expect(SimHarness.maxDifference(sim.snapshot().q, SimHarness.home) > 0.1)
    }
}
