import ProphRL
import ProphRLCore
import Testing

/// Per-frame markers of a recorded episode: frame 0 is the recorded initial state, later frames add the
/// recorded actions (positions checked against a running sum written out by hand).
struct EpisodeActionFramesTests {
    static func episode(frames: Int) throws -> Episode {
        let start = try RobotState(effectors: [EndEffectorState(pose: Pose(position: Vector3(0.1, 0.2, 0.3), rotation: .identity), gripper: 1)])
        // The second chunk starts from a recorded state that differs from the first chunk's end: the integration
        // must restart there, as on the robot.
        let restart = try RobotState(effectors: [EndEffectorState(pose: Pose(position: Vector3(0.5, 0.5, 0.5), rotation: .identity), gripper: 0.5)])
        func chunk(_ steps: [(Double, Double, Double, Double)]) throws -> ActionChunk {
            try ActionChunk(actions: steps.map { [try EndEffectorAction(x: $0.0, y: $0.1, z: $0.2, roll: 0, pitch: 0, yaw: 0.1, gripper: $0.3)] },
                            maxEffectors: 2)
        }
        let chunks = [try chunk([(0.01, 0, 0, 0.9), (0.01, 0.02, 0, 0.8)]), try chunk([(0, 0, -0.03, 0.2), (0, 0, -0.03, 0.1)])]
        let image = try RGBImage(width: 4, height: 4)
        return try Episode(id: "e", task: "t", instruction: "", seed: 0,
                           video: VideoClip(frames: Array(repeating: image, count: frames), framesPerSecond: 10),
                           states: [start, restart], chunks: chunks, success: true)
    }

    @Test func framesFollowTheRecordedActionsFromTheRecordedStates() throws {
        let frames = try EpisodeActionFrames.markers(for: Self.episode(frames: 5), semantics: .absoluteDifference)
        let expected: [(Double, Double, Double, Double)] = [
            (0.1, 0.2, 0.3, 1), (0.11, 0.2, 0.3, 0.9), (0.12, 0.22, 0.3, 0.8), (0.5, 0.5, 0.47, 0.2), (0.5, 0.5, 0.44, 0.1),
        ]
        #expect(frames.count == expected.count)
        for (markers, e) in zip(frames, expected) {
            #expect(markers.count == 1)
            let p = markers[0].toolPose.position
            #expect(abs(p.x - e.0) < 1e-6 && abs(p.y - e.1) < 1e-6 && abs(p.z - e.2) < 1e-6, "\(p) vs \(e)")
            #expect(abs(markers[0].openness - e.3) < 1e-6)
        }
        #expect(abs(frames[2][0].toolPose.rotation.rpy.yaw - 0.2) < 1e-6)
    }

    @Test func aVideoOfTheWrongLengthIsATypedError() throws {
        #expect(throws: ValidationError.self) {
            _ = try EpisodeActionFrames.markers(for: Self.episode(frames: 4), semantics: .absoluteDifference)
        }
    }
}
