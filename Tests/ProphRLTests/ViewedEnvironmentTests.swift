import ProphRL
import ProphRLCore
import ProphRLTesting
import Testing

/// Frames numbered by their first pixel: frame i has every value i.
private func numbered(_ i: Int) throws -> RGBImage { try RGBImage(width: 4, height: 4, fill: (UInt8(i), UInt8(i), UInt8(i))) }
private func number(_ image: RGBImage) -> Int { Int(image.pixels[0]) }

/// An environment whose k-th frame is numbered k: the reset shows frame 0, each step adds `chunk.steps` frames.
private actor CountingEnvironment: Environment {
    nonisolated let description = EnvironmentDescription(name: "counting", tasks: ["count"], actionSemantics: .localDelta,
                                                         controlRate: 10, frameFormat: FrameFormat(width: 4, height: 4, framesPerSecond: 10))
    var next = 0
    let state = try! RobotState(effectors: [EndEffectorState(pose: .identity, gripper: 1)])

    func reset(task: String, seed: UInt64) async throws -> Observation {
        next = 1
        return Observation(image: try numbered(0), instruction: "count", state: state, firstImage: try numbered(0))
    }

    func step(_ chunk: ActionChunk) async throws -> EnvironmentStep {
        let frames = try (next..<(next + chunk.steps)).map(numbered)
        next += chunk.steps
        return EnvironmentStep(observation: Observation(image: frames[frames.count - 1], instruction: "count", state: state,
                                                        firstImage: try numbered(0)),
                               frames: frames, done: frames.map { _ in false }, success: false)
    }

    func close() async throws {}
}

/// A view that records each window and shows the sum of its frame numbers plus 100 times the first frame's.
private actor RecordingView: FrameView {
    var windows: [[Int]] = []
    func view(recent: [RGBImage], first: RGBImage) async throws -> RGBImage {
        windows.append(recent.map(number))
        return try numbered(recent.map(number).reduce(0, +) + 100 * number(first))
    }
}

@Suite("Viewed environment and viewed frames (the policy looks through a FrameView)")
struct ViewedEnvironmentTests {
    static let chunk = try! ActionChunk(steps: 4, maxEffectors: 1, values: [Float](repeating: 0, count: 28), validity: [true])

    @Test("the observation shows the view of the frames since the last decision; recorded frames stay raw")
    func viewsObservations() async throws {
        let view = RecordingView()
        let environment = ViewedEnvironment(base: CountingEnvironment(), view: view)
        await #expect(throws: ValidationError.self) { _ = try await environment.step(Self.chunk) }
        let start = try await environment.reset(task: "count", seed: 0)
        #expect(number(start.image) == 0)
        let first = try await environment.step(Self.chunk)
        #expect(number(first.observation.image) == 0 + 1 + 2 + 3 + 4)
        #expect(first.frames.map(number) == [1, 2, 3, 4])
        let second = try await environment.step(Self.chunk)
        #expect(number(second.observation.image) == 4 + 5 + 6 + 7 + 8)
        #expect(await view.windows == [[0], [0, 1, 2, 3, 4], [4, 5, 6, 7, 8]])
        #expect(second.observation.firstImage.map(number) == 0)
    }

    @Test("the in-memory view averages blocks of the current frame (a lossy stand-in for an autoencoder)")
    func blockAverageFake() async throws {
        let frame = try RGBImage(width: 3, height: 2, pixels: [0, 0, 0, 10, 10, 10, 7, 7, 7, 20, 20, 20, 30, 30, 30, 9, 9, 9])
        let viewed = try await BlockAverageFrameView(block: 2).view(recent: [try numbered(1), frame], first: frame)
        #expect(viewed.pixels == [15, 15, 15, 15, 15, 15, 8, 8, 8, 15, 15, 15, 15, 15, 15, 8, 8, 8])
        #expect(try await BlockAverageFrameView(block: 1).view(recent: [frame], first: frame) == frame)
        await #expect(throws: ValidationError.self) { _ = try await BlockAverageFrameView().view(recent: [], first: frame) }
        // Through a viewed environment the policy sees the averaged frame.
        let environment = ViewedEnvironment(base: CountingEnvironment(), view: BlockAverageFrameView())
        #expect(number(try await environment.reset(task: "count", seed: 0).image) == 0)
    }

    @Test("each recorded frame becomes the view of the chunkSteps frames before it, as at evaluation")
    func viewsRecordedFrames() async throws {
        let view = RecordingView()
        let frames = try (0..<7).map(numbered)
        let viewed = try await ViewedFrames.frames(frames, through: view, chunkSteps: 4)
        #expect(viewed.count == 7)
        #expect(await view.windows == [[0], [0, 1], [0, 1, 2], [0, 1, 2, 3], [0, 1, 2, 3, 4], [1, 2, 3, 4, 5], [2, 3, 4, 5, 6]])
        #expect(number(viewed[4]) == 10 && number(viewed[6]) == 20)
        await #expect(throws: ValidationError.self) { _ = try await ViewedFrames.frames(frames, through: view, chunkSteps: 0) }
        #expect(try await ViewedFrames.frames([], through: view, chunkSteps: 4).isEmpty)
    }
}
