import ProphRLCore
import RobotRTDE
import Testing
import URControllerSim

/// The RTDE client against the simulator: negotiation, recipes and their refusals.
@Suite("RTDE handshake against the simulator", .serialized)
struct RTDEHandshakeTests {
    @Test("Version negotiation, controller version, outputs at 500 Hz, inputs numbered from 1")
    func handshake() throws {
        let sim = try SimHarness.startSim()
        defer { sim.stop() }
        let client = try RTDEClient.connect(host: "127.0.0.1", port: sim.rtdePort)
        defer { client.close() }
        #expect(client.controllerVersion == RTDEControllerVersion(major: 5, minor: 23, bugfix: 0, build: 0))
        #expect(client.controllerVersion.controlFrequency == 500)
        let outputs = try client.setupOutputs(names: ["timestamp", "actual_q", "actual_current_as_torque", "runtime_state"],
                                              frequency: 500)
        #expect(outputs.types == [.double, .vector6d, .vector6d, .uint32])
        let first = try client.setupInputs(names: ["input_int_register_0", "input_double_register_0"])
        let second = try client.setupInputs(names: ["input_int_register_0"])
        #expect(first.id == 1 && second.id == 2)
        try client.start()
        SimHarness.sleep(until: SimHarness.now() + 0.3)
        let (values, age) = try client.newest()
        #expect(age < 0.05)
        #expect(outputs.value("actual_q", in: values) == .vector6d(SimHarness.home))
        try client.pause()
        try client.send(second, [.int32(0)])
    }

    @Test("Unknown names → NOT_FOUND, variables of another connection → IN_USE, both typed")
    func refusals() throws {
        let sim = try SimHarness.startSim()
        defer { sim.stop() }
        let owner = try RTDEClient.connect(host: "127.0.0.1", port: sim.rtdePort)
        defer { owner.close() }
        #expect(throws: RTDEError.variablesNotFound(["no_such_variable"])) {
            try owner.setupOutputs(names: ["timestamp", "no_such_variable"], frequency: 500)
        }
        _ = try owner.setupInputs(names: ["input_int_register_0"])
        let other = try RTDEClient.connect(host: "127.0.0.1", port: sim.rtdePort)
        #expect(throws: RTDEError.variablesInUse(["input_int_register_0"])) {
            try other.setupInputs(names: ["input_double_register_3", "input_int_register_0"])
        }
        #expect(throws: RTDEError.variablesNotFound(["input_int_register_48"])) {
            try other.setupInputs(names: ["input_int_register_48"])
        }
        // Released when the owner disconnects.
        owner.close()
        #expect(SimHarness.eventually { (try? other.setupInputs(names: ["input_int_register_0"])) != nil })
        other.close()
    }

    @Test("A refused protocol version is a typed error")
    func refusedVersion() throws {
        let sim = try SimHarness.startSim { $0.refuseProtocolVersion = true }
        defer { sim.stop() }
        #expect(throws: RTDEError.protocolVersionRefused(2)) { try RTDEClient.connect(host: "127.0.0.1", port: sim.rtdePort) }
    }

    @Test("Nothing listening → a typed socket error, not a hang")
    func nothingListening() throws {
        let sim = try SimHarness.startSim()
        let port = sim.rtdePort
        sim.stop()
        #expect(throws: RTDEError.self) { try RTDEClient.connect(host: "127.0.0.1", port: port, timeout: 0.5) }
    }
}
