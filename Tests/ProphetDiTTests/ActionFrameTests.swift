import ProphRLCore
@testable import ProphetDiT
import TensorEngine
import Testing

/// A tool moving on the plane z = 0 seen by a camera 1 m above it: world (x, y, 0) → pixel (32x + 16, 32y + 16).
enum ActionFrameFixture {
    static func camera() throws -> PinholeCamera {
        try PinholeCamera(fx: 32, fy: 32, cx: 16, cy: 16, calibrationWidth: 32, calibrationHeight: 32,
                          cameraFromWorld: Pose(position: Vector3(0, 0, 1), rotation: .identity))
    }

    static func rendering() throws -> ProphetActionFrames { ProphetActionFrames(camera: try camera(), semantics: .absoluteDifference) }

    static func config() throws -> ProphetConfiguration {
        var config = ProphetConfiguration.tiny
        config.actionFrames = true
        config.actionFrameRendering = try rendering()
        return config
    }

    static func state(x: Double, y: Double, gripper: Double) throws -> RobotState {
        try RobotState(effectors: [EndEffectorState(pose: Pose(position: Vector3(x, y, 0), rotation: .identity), gripper: gripper)])
    }

    /// The x position after `t` steps: ≈ 1.5 px per step to the right, then back from step 10 (values chosen so no
    /// disk edge falls on a pixel centre, where float rounding of the stored actions could flip a pixel).
    static func x(_ t: Int) -> Double { -0.2512 + 0.0473 * Double(min(t, 10)) - 0.0473 * Double(max(0, t - 10)) }
    static let y = 0.1037
    static func gripper(_ t: Int) -> Double { t < 8 ? 1 : 0.25 }   // exact in Float, like the stored actions

    /// 16 actions in 4 recorded chunks of 4; the recorded state before each chunk; a grey video.
    static func episode() throws -> Episode {
        var chunks: [ActionChunk] = [], states: [RobotState] = []
        for c in 0..<4 {
            states.append(try state(x: x(4 * c), y: y, gripper: gripper(4 * c)))
            var values: [Float] = []
            for t in (4 * c + 1)...(4 * c + 4) { values += [Float(x(t) - x(t - 1)), 0, 0, 0, 0, 0, Float(gripper(t))] }
            chunks.append(try ActionChunk(steps: 4, maxEffectors: 1, values: values, validity: [true]))
        }
        let frames = try (0...16).map { try RGBImage(width: 32, height: 32, fill: (UInt8(60 + 5 * $0), 90, 120)) }
        return try Episode(id: "tool", task: "t", instruction: "i", seed: 0, video: VideoClip(frames: frames, framesPerSecond: 10),
                           states: states, chunks: chunks, success: true)
    }
}

@Suite("Prophet action frames")
struct ActionFrameTests {
    @Test("the dataset draws every frame's commanded pose: one 32×32 action frame per video frame, as the renderer draws it")
    func datasetRendering() throws {
        let dataset = try ProphetDataset(name: "tool", episodes: [ActionFrameFixture.episode()], configuration: try ActionFrameFixture.config())
        let renderer = try ActionFrameRenderer(camera: try ActionFrameFixture.camera(), width: 32, height: 32)
        let pixels = dataset.clips[0].actionFramePixels
        let frameSize = 32 * 32 * 3
        #expect(pixels.count == 17 * frameSize)
        for t in [0, 3, 8, 16] {
            // Independent reference: the pose computed directly, not integrated from actions.
            let marker = try ActionFrameMarker(toolPose: Pose(position: Vector3(ActionFrameFixture.x(t), ActionFrameFixture.y, 0), rotation: .identity),
                                               openness: ActionFrameFixture.gripper(t))
            let reference = try renderer.render([marker]).pixels.map { Float($0) / 127.5 - 1 }
            let drawn = Array(pixels[(t * frameSize)..<((t + 1) * frameSize)])
            let mismatched = zip(drawn, reference).filter { abs($0 - $1) > 1e-6 }.count
            #expect(mismatched <= 3 * 4, "frame \(t): \(mismatched) values differ")   // at most a few edge pixels
            // The white centre dot sits at the projected tool position.
            let u = Int((32 * ActionFrameFixture.x(t) + 16).rounded()), v = Int((32 * ActionFrameFixture.y + 16).rounded())
            #expect(drawn[(v * 32 + u) * 3] == 1 && drawn[(v * 32 + u) * 3 + 1] == 1)
        }
        #expect(throws: ValidationError.self) {
            var config = ProphetConfiguration.tiny
            config.actionFrames = true
            _ = try ProphetDataset(name: "tool", episodes: [ActionFrameFixture.episode()], configuration: config)
        }
    }

    @Test("cached action-frame latents equal what the world model encodes from the state and the chunk at prediction time")
    func trainPredictConsistency() throws {
        let config = try ActionFrameFixture.config()
        let episode = try ActionFrameFixture.episode()
        let dataset = try ProphetDataset(name: "tool", episodes: [episode], configuration: config)
        let model = try ProphetModel(configuration: config, seed: 3)
        try dataset.cacheLatents(model.autoencoder, computeStatistics: true)
        let latentSize = config.latentHeight * config.latentWidth * config.latentChannels
        #expect(dataset.clips[0].actionFrameLatents.count == 3)   // chunk starts 0, 4, 8 of a 17-frame clip with T = 8
        #expect(dataset.clips[0].actionFrameLatents.allSatisfy { $0.count == config.latentFrames * latentSize })
        // Prediction path from the recorded state before chunk 1 (frame 4) and the next 8 actions.
        let actions = try ActionChunk(steps: 8, maxEffectors: 1,
                                      values: episode.chunks[1].values + episode.chunks[2].values, validity: [true])
        let rendering = try ActionFrameFixture.rendering()
        let pixels = try rendering.pixels(rendering.markers(state: episode.states[1], chunk: actions), width: 32, height: 32)
        let window = dataset.clips[0].actionFramePixels[(4 * 32 * 32 * 3)..<(13 * 32 * 32 * 3)]
        #expect(zip(pixels, window).filter { abs($0 - $1) > 1e-6 }.count == 0)
        let predicted = try model.actionFrameLatents(pixels: Tensor(pixels, shape: [1, 9, 32, 32, 3])).scalars
        let cached = dataset.clips[0].actionFrameLatents[1]
        let worst = zip(predicted, cached).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst < 1e-4, "max difference \(worst)")
        let sample = dataset.sample(0, start: 4)
        #expect(sample.actionFrames == cached)
    }

    @Test("a model with action frames needs the state (typed error naming context.state) and its output follows it")
    func stateRequired() async throws {
        let config = try ActionFrameFixture.config()
        let model = try ProphetModel(configuration: config, seed: 5)
        try DiTFixture.perturb(model.denoiser, seed: 6)
        let worldModel = ProphetWorldModel(model: model, sampler: try KarrasSampler(steps: 2))
        let frame = try RGBImage(width: 32, height: 32, fill: (120, 80, 40))
        let actions = try ActionChunk(steps: 8, maxEffectors: 1, values: Array((0..<8).map { _ in [Float(0.05), 0, 0, 0, 0, 0, 1] }.joined()),
                                      validity: [true])
        do {
            _ = try await worldModel.predict(context: WorldModelContext(frames: [frame]), actions: actions, seed: 1)
            Issue.record("expected a typed error without the state")
        } catch let error as ValidationError {
            #expect("\(error)".contains("context.state"))
        }
        let left = try await worldModel.predict(context: WorldModelContext(frames: [frame], state: ActionFrameFixture.state(x: -0.3, y: 0, gripper: 1)),
                                                actions: actions, seed: 1)
        let right = try await worldModel.predict(context: WorldModelContext(frames: [frame], state: ActionFrameFixture.state(x: 0.1, y: 0, gripper: 1)),
                                                 actions: actions, seed: 1)
        #expect(left.frames.count == 8)
        #expect(left.frames != right.frames)
        // Round trip of the stored camera.
        #expect(try ActionFrameFixture.rendering().camera() == ActionFrameFixture.camera())
    }
}
