import ProphRLCore
import ProphRLTesting
import Testing

/// The in-memory robot link follows the port contract: envelope first, stop before throwing.
@Suite("Loopback robot link")
struct LoopbackRobotLinkTests {
    @Test("Connect, move, servo, stop, disconnect")
    func lifecycle() throws {
        var link = try LoopbackRobotLink()
        #expect(throws: RTDEError.self) { try link.latestState() }
        try link.connect()
        let target = [0.1, -1.5, 1.5, -1.5, -1.5, 0.1]
        try link.send(.moveJ(joints: target, speed: 0.5, acceleration: 1))
        #expect(try link.latestState().actualQ == target)
        var q = target
        q[5] += 0.001
        try link.send(.servoJ(joints: q))
        #expect(try link.latestState().actualQ == q)
        try link.stop()
        link.disconnect()
        #expect(!link.isConnected)
        #expect(link.sentCommands.count == 2)
    }

    @Test("A protective stop makes the next command fail and stops the arm")
    func protectiveStop() throws {
        var link = try LoopbackRobotLink()
        try link.connect()
        link.inject(safetyMode: .protectiveStop)
        let before = link.stopCount
        #expect(throws: SafetyViolation.self) { try link.send(.servoJ(joints: link.state.actualQ)) }
        #expect(link.stopCount == before + 1)
        #expect(link.sentCommands.isEmpty)
    }
}
