import ProphRL
import ProphRLCore
import ProphRLTesting
import Testing

@Suite("World-model evaluator")
struct WorldModelEvaluatorTests {
    /// An episode whose real video is exactly what the translating fake predicts (2 px right per step).
    static func episode(steps: Int) async throws -> Episode {
        var rng = SeededGenerator(seed: 3)
        let start = try RGBImage(width: 24, height: 24, pixels: (0..<(24 * 24 * 3)).map { _ in UInt8(rng.next() % 256) })
        let chunks = try (0..<steps).map { _ in
            try ActionChunk(steps: 1, maxEffectors: 1, values: [0.02, 0, 0, 0, 0, 0, 1], validity: [true])
        }
        var frames = [start]
        for _ in 0..<steps { frames.append(TranslatingWorldModel.shifted(frames[frames.count - 1], dx: 2, dy: 0)) }
        let state = try RobotState(effectors: [EndEffectorState(pose: Pose(position: Vector3(0, 0, 0), rotation: .identity), gripper: 1)],
                                   jointPositions: [0, 0, 0, 0, 0, 0])
        return try Episode(id: "e", task: "t", instruction: "i", seed: 1, video: VideoClip(frames: frames, framesPerSecond: 10),
                           states: Array(repeating: state, count: steps), chunks: chunks, success: true)
    }

    @Test("a model that reproduces the video beats copy-the-first-frame on every metric")
    func perfectModelWins() async throws {
        let episode = try await Self.episode(steps: 8)
        let model = TranslatingWorldModel(frameFormat: FrameFormat(width: 24, height: 24, framesPerSecond: 10))
        let evaluator = try WorldModelEvaluator(chunks: 2, flow: GlobalShiftFlowEstimator())
        let (scores, copy) = try await evaluator.evaluate(model, episodes: [episode], steps: 4, seed: 0)
        #expect(scores.episodes == 1)
        #expect(scores.psnr > copy.psnr + 10)
        #expect(scores.ssim > 0.99 && copy.ssim < 0.5)
        let epe = try #require(scores.flowEPE), copyEPE = try #require(copy.flowEPE)
        #expect(epe < 1e-9 && copyEPE > 1)
        #expect((scores.flowCosine ?? 0) > 0.99)
    }

    @Test("episodes shorter than the requested chunks are rejected with a typed error")
    func tooShort() async throws {
        let episode = try await Self.episode(steps: 3)
        let model = TranslatingWorldModel(frameFormat: FrameFormat(width: 24, height: 24, framesPerSecond: 10))
        let evaluator = try WorldModelEvaluator(chunks: 1, flow: nil)
        await #expect(throws: ValidationError.self) { _ = try await evaluator.evaluate(model, episodes: [episode], steps: 4, seed: 0) }
        #expect(throws: ValidationError.self) { try WorldModelEvaluator(chunks: 0, flow: nil) }
    }
}

@Suite("Action sensitivity")
struct ActionSensitivityTests {
    @Test("opposite chunks differ beyond the seed noise and move in opposite directions")
    func translatingModel() async throws {
        var rng = SeededGenerator(seed: 5)
        let start = try RGBImage(width: 24, height: 24, pixels: (0..<(24 * 24 * 3)).map { _ in UInt8(rng.next() % 256) })
        let model = TranslatingWorldModel(frameFormat: FrameFormat(width: 24, height: 24, framesPerSecond: 10))
        let result = try await ActionSensitivity.measure(model, start: start, steps: 4, template: [0, 0, 0, 0, 0, 0, 1],
                                                         dimension: 0, delta: 0.02, seed: 1, flow: GlobalShiftFlowEstimator())
        #expect(result.actionDifference > 10 && result.seedDifference == 0)
        #expect(abs((result.meanFlowXPositive ?? 0) - 2) < 1e-9)
        #expect(abs((result.meanFlowXNegative ?? 0) + 2) < 1e-9)
        await #expect(throws: ValidationError.self) {
            _ = try await ActionSensitivity.measure(model, start: start, steps: 4, template: [0, 0], dimension: 0, delta: 0.02, seed: 1, flow: nil)
        }
    }

    @Test("gripper region: flow around the projected TCP follows the commanded motion only when the camera maps x to it")
    func gripperRegion() async throws {
        var rng = SeededGenerator(seed: 6)
        let start = try RGBImage(width: 24, height: 24, pixels: (0..<(24 * 24 * 3)).map { _ in UInt8(rng.next() % 256) })
        let model = TranslatingWorldModel(frameFormat: FrameFormat(width: 24, height: 24, framesPerSecond: 10))
        let state = try RobotState(effectors: [EndEffectorState(pose: .identity, gripper: 1)])
        // World (x, y, 0) → pixel (100x + 12, 100y + 12): +x moves the TCP right, as the fake moves the image.
        let aligned = try PinholeCamera(fx: 100, fy: 100, cx: 12, cy: 12, calibrationWidth: 24, calibrationHeight: 24,
                                        cameraFromWorld: Pose(position: Vector3(0, 0, 1), rotation: .identity))
        func measure(_ camera: PinholeCamera) async throws -> ActionSensitivity {
            try await ActionSensitivity.measure(model, start: start, steps: 4, template: [0, 0, 0, 0, 0, 0, 1], dimension: 0, delta: 0.02,
                                                seed: 1, flow: GlobalShiftFlowEstimator(),
                                                gripper: .init(state: state, camera: camera, semantics: .absoluteDifference, radius: 5))
        }
        let good = try await measure(aligned)
        #expect(abs((good.gripperCosinePositive ?? 0) - 1) < 1e-9 && abs((good.gripperCosineNegative ?? 0) - 1) < 1e-9)
        #expect(good.gripperFlowPositive == [2, 0] && good.gripperFlowNegative == [-2, 0])
        // A camera rotated 90° about its axis sees +x as vertical motion: horizontal image flow no longer matches.
        let rotated = try PinholeCamera(fx: 100, fy: 100, cx: 12, cy: 12, calibrationWidth: 24, calibrationHeight: 24,
                                        cameraFromWorld: Pose(position: Vector3(0, 0, 1), rotation: .aboutZ(Double.pi / 2)))
        let bad = try await measure(rotated)
        #expect(abs(bad.gripperCosinePositive ?? 1) < 1e-6 && abs(bad.gripperCosineNegative ?? 1) < 1e-6)
        await #expect(throws: ValidationError.self) {
            _ = try await ActionSensitivity.measure(model, start: start, steps: 4, template: [0, 0, 0, 0, 0, 0, 1], dimension: 0, delta: 0.02,
                                                    seed: 1, flow: nil,
                                                    gripper: .init(state: state, camera: aligned, semantics: .absoluteDifference, radius: 0))
        }
    }

    @Test("with action semantics the evaluator passes the robot state: the first recorded one, then the chunks integrated")
    func passesState() async throws {
        /// Copies the current frame and records the state of every context it is given.
        final class StateRecorder: WorldModel, @unchecked Sendable {
            // @unchecked: the evaluator calls predict sequentially; the test reads `states` afterwards.
            let frameFormat = FrameFormat(width: 24, height: 24, framesPerSecond: 10)
            var states: [RobotState?] = []
            func predict(context: WorldModelContext, actions: ActionChunk, seed: UInt64) async throws -> VideoClip {
                states.append(context.state)
                let frame = try #require(context.current)
                return try VideoClip(frames: Array(repeating: frame, count: actions.steps), framesPerSecond: 10)
            }
        }
        var episode = try await WorldModelEvaluatorTests.episode(steps: 8)
        let start = try RobotState(effectors: [EndEffectorState(pose: Pose(position: Vector3(0.1, 0.2, 0.3), rotation: .identity),
                                                                gripper: 1)])
        episode.states[0] = start
        let recorder = StateRecorder()
        _ = try await WorldModelEvaluator(chunks: 2, flow: nil, semantics: .absoluteDifference).rollout(recorder, episode: episode,
                                                                                                         steps: 4, seed: 0)
        #expect(recorder.states.count == 2)
        #expect(recorder.states[0] == start)
        // Four steps of +0.02 m in x (the episode's recorded actions) from the start.
        let moved = try #require(recorder.states[1]?.effectors.first?.pose.position)
        #expect(abs(moved.x - 0.18) < 1e-6 && abs(moved.y - 0.2) < 1e-12 && abs(moved.z - 0.3) < 1e-12)
        let plain = StateRecorder()
        _ = try await WorldModelEvaluator(chunks: 2, flow: nil).rollout(plain, episode: episode, steps: 4, seed: 0)
        #expect(plain.states == [nil, nil])
    }
}
