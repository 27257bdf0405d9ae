import ProphRL
import ProphRLCore
import ProphRLTesting
import RobotRTDE
import Testing
import URControllerSim

/// The deployment path end to end: the policy-facing environment streams an integrated chunk over RTDE to
/// the UR controller simulator, in real time.
@Suite("Deployment: RobotEnvironment over TCPRobotLink and the controller simulator", .serialized)
struct DeploymentTests {
    @Test("A chunk of absolute-difference actions moves the simulated UR30e to the integrated targets")
    func chunkReachesTargets() async throws {
        let sim = try SimHarness.startSim()
        defer { sim.stop() }
        var configuration = SimHarness.configuration(for: sim)
        // The 2-core CI machine runs many tests at once; a 0.1 s scheduling gap is a load artefact here, not a fault.
        configuration.envelope.watchdogTimeout = 0.5
        configuration.stalenessLimit = 0.5
        // Between chunks the arm rests while the policy thinks; the controller-side watchdog must allow that pause.
        configuration.watchdogFrequency = 0.5
        let link = TCPRobotLink(configuration: configuration)
        let camera = try ScriptedCamera(frames: [try RGBImage(width: 8, height: 6)])
        let env = RobotEnvironment(link: link, camera: camera, configuration: .init(tasks: ["place-bowl": "place the bowl"]))
        let start = try await env.reset(task: "place-bowl", seed: 0)
        let action = try EndEffectorAction(x: 0.002, y: -0.0015, z: 0.001, roll: 0, pitch: 0, yaw: 0.005, gripper: 1)
        let chunk = try ActionChunk(actions: Array(repeating: [action], count: 5), maxEffectors: 1)
        let step = try await env.step(chunk)
        #expect(step.done.count == 5)
        let target = step.observation.state.effectors[0].pose
        #expect(abs(target.position.x - start.state.effectors[0].pose.position.x - 0.01) < 1e-9)
        // Let the servo settle, then compare the measured TCP with the last integrated target.
        try await Task.sleep(for: .milliseconds(300))
        let record = await env.trajectory()
        #expect(record.count == 5)
        let measured = try Pose(urPose: record[4].measured)
        let commanded = try Pose(urPose: record[4].commanded)
        #expect(abs(measured.position.x - commanded.position.x) < 0.005, "servo lag at the last action")
        // The arm rests between chunks (the policy may think for longer than the watchdog): the next chunk streams.
        try await Task.sleep(for: .milliseconds(700))
        _ = try await env.step(chunk)
        #expect(await env.trajectory().count == 10)
        try await env.close()
    }
}
