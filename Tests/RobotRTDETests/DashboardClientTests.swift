import ProphRLCore
import RobotRTDE
import Testing
import URControllerSim

/// The dashboard client against the simulator's dashboard server.
@Suite("Dashboard client against the simulator", .serialized)
struct DashboardClientTests {
    @Test("Power-on sequence, program control, mode and status parsing")
    func sequence() throws {
        let sim = try SimHarness.startSim { $0.initialRobotMode = .powerOff }
        defer { sim.stop() }
        let dashboard = try DashboardClient.connect(host: "127.0.0.1", port: sim.dashboardPort)
        defer { dashboard.close() }
        #expect(try dashboard.robotMode() == .powerOff)
        try dashboard.powerOnAndReleaseBrakes(timeout: 2)
        #expect(try dashboard.robotMode() == .running)
        #expect(try dashboard.safetyStatus() == .normal)
        #expect(try dashboard.polyscopeVersion() == "5.23.0.0")
        #expect(try dashboard.isInRemoteControl())
        #expect(throws: RTDEError.self) { try dashboard.play() }            // nothing loaded
        #expect(throws: RTDEError.self) { try dashboard.load("notes.txt") }  // File not found
        try dashboard.load("pick.urp")
        try dashboard.play()
        #expect(try dashboard.isProgramRunning())
        #expect(try dashboard.programState().state == "PLAYING")
        try dashboard.pause()
        #expect(try dashboard.programState().state == "PAUSED")
        try dashboard.stop()
        #expect(try dashboard.programState() == ("STOPPED", "pick.urp"))
        #expect(try dashboard.send("frobnicate").hasPrefix("could not understand"))
        try dashboard.powerOff()
        #expect(try dashboard.robotMode() == .powerOff)
    }

    @Test("Protective stop is reported and released only deliberately")
    func protectiveStop() throws {
        let sim = try SimHarness.startSim()
        defer { sim.stop() }
        let dashboard = try DashboardClient.connect(host: "127.0.0.1", port: sim.dashboardPort)
        defer { dashboard.close() }
        #expect(throws: RTDEError.self) { try dashboard.unlockProtectiveStop() }
        sim.triggerProtectiveStop()
        #expect(try dashboard.safetyStatus() == .protectiveStop)
        try dashboard.unlockProtectiveStop()
        try dashboard.closeSafetyPopup()
        #expect(try dashboard.safetyStatus() == .normal)
    }
}
