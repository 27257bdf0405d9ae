import ProphRLCore
import ProphRLTesting
import RobotRTDE
import Testing
import URControllerSim

/// One contract for every `RobotLink`, run on the in-memory fake and on the real driver + simulator,
/// so the fake cannot drift from the adapter.
@Suite("RobotLink contract", .serialized)
struct RobotLinkContractTests {
    /// The contract: moves reach targets, servo steps are followed, the envelope refuses with the
    /// offending value, a protective stop refuses motion, disconnect ends the link.
    static func check<Link: RobotLink>(_ link: inout Link, protectiveStop: (inout Link) -> Void) throws {
        #expect(!link.isConnected)
        try link.connect()
        #expect(link.isConnected)
        let target = [0.1, -1.5, 1.5, -1.6, -1.5, 0.05]
        try link.send(.moveJ(joints: target, speed: 1.0, acceleration: 2.0))
        #expect(SimHarness.maxDifference(try link.latestState().actualQ, target) < 1e-9)

        var q = target
        q[5] += 1e-5
        try link.send(.servoJ(joints: q))
        var followed = false
        for _ in 0..<200 where !followed {
            followed = SimHarness.maxDifference(try link.latestState().actualQ, q) < 1e-9
            if !followed { SimHarness.sleep(until: SimHarness.now() + 0.002) }
        }
        #expect(followed)
        try link.stop()

        var outside = q
        outside[2] = 7
        #expect(throws: SafetyViolation.jointOutOfRange(joint: 2, value: 7, lower: -2 * .pi, upper: 2 * .pi)) {
            try link.send(.moveJ(joints: outside))
        }

        protectiveStop(&link)
        var refused = false
        for _ in 0..<200 where !refused {
            do { try link.send(.moveJ(joints: target)) } catch let violation as SafetyViolation {
                refused = violation == .safetyStop(statusBits: SafetyMode.protectiveStop.statusBits)
            }
            if !refused { SimHarness.sleep(until: SimHarness.now() + 0.005) }
        }
        #expect(refused)

        link.disconnect()
        #expect(!link.isConnected)
        #expect(throws: RTDEError.self) { try link.latestState() }
    }

    @Test("LoopbackRobotLink meets the contract")
    func loopback() throws {
        var link = try LoopbackRobotLink()
        try Self.check(&link) { $0.inject(safetyMode: .protectiveStop) }
    }

    @Test("TCPRobotLink against URControllerSim meets the contract")
    func tcp() throws {
        let sim = try SimHarness.startSim()
        defer { sim.stop() }
        var link = TCPRobotLink(configuration: SimHarness.configuration(for: sim))
        try Self.check(&link) { _ in sim.triggerProtectiveStop() }
    }
}
