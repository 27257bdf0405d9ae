import ProphRLCore

/// What RL inside a world model needs to agree on, checked before any rollout: one world-model call per policy
/// chunk, the policy's frame size, the recorded starts' frame rate, and a reward that does not read the simulator.
///
/// ```swift
/// let setup = WorldModelRLSetup(modelFormat: prophet.frameFormat, modelChunkFrames: 4, policyChunkSteps: 4,
///                               policyResolution: 64)
/// try setup.validate(startsFramesPerSecond: 10, reward: "judge:judge.sqlite")
/// let starts = try WorldModelRLSetup.starts(from: episodes)
/// ```
public struct WorldModelRLSetup: Sendable, Equatable {
    /// The world model's frame size and rate.
    public var modelFormat: FrameFormat
    /// Frames the world model generates per call.
    public var modelChunkFrames: Int
    /// Actions per policy chunk (CH).
    public var policyChunkSteps: Int
    /// The square image size the policy was trained on.
    public var policyResolution: Int

    /// Creates the setup to check.
    public init(modelFormat: FrameFormat, modelChunkFrames: Int, policyChunkSteps: Int, policyResolution: Int) {
        self.modelFormat = modelFormat
        self.modelChunkFrames = modelChunkFrames
        self.policyChunkSteps = policyChunkSteps
        self.policyResolution = policyResolution
    }

    /// Throws the first mismatch: chunk length, frame size, frame rate of the starts, or an oracle reward.
    /// - Parameter reward: the reward's name as given (`oracle` is refused: a world model has no success predicate).
    public func validate(startsFramesPerSecond: Double, reward: String) throws {
        if reward == "oracle" { throw WorldModelRLError.oracleReward }
        if modelChunkFrames != policyChunkSteps {
            throw WorldModelRLError.chunkMismatch(worldModelFrames: modelChunkFrames, policyActions: policyChunkSteps)
        }
        if modelFormat.width != policyResolution || modelFormat.height != policyResolution {
            throw WorldModelRLError.frameSizeMismatch(worldModel: "\(modelFormat.width)x\(modelFormat.height)",
                                                      policy: "\(policyResolution)x\(policyResolution)")
        }
        if abs(modelFormat.framesPerSecond - startsFramesPerSecond) > 1e-9 {
            throw WorldModelRLError.frameRateMismatch(worldModel: modelFormat.framesPerSecond, starts: startsFramesPerSecond)
        }
    }

    /// The first frame, instruction and state of each episode, as world-model environment starts (with the
    /// episode's simulator seed).
    /// - Throws: ``ValidationError`` naming `starts` if there are no episodes or one has no frame or no state.
    public static func starts<Model: WorldModel>(from episodes: [Episode]) throws -> [WorldModelEnvironment<Model>.Start] {
        try starts(from: episodes, chunkOffsets: [0])
    }

    /// Starts part-way into recorded episodes: for each episode and each offset `c` it has a chunk at, the
    /// observation before its chunk `c` (frame, instruction, recorded state) with the recorded frames, states and
    /// chunks before it as the start's prefix. Offset 0 is the episode's first frame. Record the episodes with
    /// `sim eval --integrated-state` so the recorded state is the one the policy sees inside the world model.
    /// - Throws: ``ValidationError`` naming `start chunks` for an empty or negative offset list, and naming `starts`
    ///   if an episode has no frame, no recorded state before a chunk it starts at, or no episode reaches any offset.
    public static func starts<Model: WorldModel>(from episodes: [Episode],
                                                 chunkOffsets: [Int]) throws -> [WorldModelEnvironment<Model>.Start] {
        guard !episodes.isEmpty else { throw ValidationError.empty(argument: "starts") }
        guard !chunkOffsets.isEmpty, chunkOffsets.allSatisfy({ $0 >= 0 }) else {
            throw ValidationError.invalid(argument: "start chunks", reason: "expected offsets ≥ 0, got \(chunkOffsets)")
        }
        var result: [WorldModelEnvironment<Model>.Start] = []
        for episode in episodes {
            let frames = episode.video.frames
            guard !frames.isEmpty, !episode.states.isEmpty else {
                throw ValidationError.invalid(argument: "starts", reason: "episode \(episode.id) has no first frame or no recorded state")
            }
            for offset in chunkOffsets where offset == 0 || offset < episode.chunks.count {
                guard offset < episode.states.count else {
                    throw ValidationError.invalid(argument: "starts", reason: "episode \(episode.id) has no recorded state before its chunk \(offset)")
                }
                let before = episode.chunks.prefix(offset)
                let frameIndex = before.reduce(0) { $0 + $1.steps }
                guard frameIndex < frames.count else {
                    throw ValidationError.invalid(argument: "starts", reason: "episode \(episode.id) has \(frames.count) frames, "
                                                  + "fewer than the \(frameIndex + 1) its chunks need")
                }
                let state = episode.states[offset]
                let prefix = WorldModelEnvironment<Model>.Prefix(frames: Array(frames.prefix(frameIndex)),
                                                                 states: Array(episode.states.prefix(offset)), chunks: Array(before))
                result.append(.init(task: episode.task,
                                    observation: Observation(image: frames[frameIndex], instruction: episode.instruction, state: state,
                                                             firstImage: frames[0]),
                                    simulatorSeed: episode.seed, prefix: prefix))
            }
        }
        guard !result.isEmpty else {
            throw ValidationError.invalid(argument: "starts", reason: "no episode has a chunk at offsets \(chunkOffsets)")
        }
        return result
    }
}

/// Why a world model cannot stand in for the simulator in an RL run.
public enum WorldModelRLError: Error, Equatable, CustomStringConvertible {
    /// The world model generates a different number of frames per call than the policy has actions per chunk.
    case chunkMismatch(worldModelFrames: Int, policyActions: Int)
    /// The world model's frames are not the size the policy sees.
    case frameSizeMismatch(worldModel: String, policy: String)
    /// The recorded starts were recorded at another rate than the world model generates.
    case frameRateMismatch(worldModel: Double, starts: Double)
    /// The simulator's success predicate was asked for, but there is no simulator inside a world model.
    case oracleReward

    /// The message, naming what was expected and what arrived.
    public var description: String {
        switch self {
        case .chunkMismatch(let frames, let actions):
            "--world: the world model generates \(frames) frames per call, the policy's chunk has \(actions) actions; "
                + "train Prophet with 'world train --chunk-frames \(actions)'"
        case .frameSizeMismatch(let model, let policy):
            "--world: the world model's frames are \(model), the policy expects \(policy)"
        case .frameRateMismatch(let model, let starts):
            "--starts: recorded at \(starts) fps, the world model generates \(model) fps"
        case .oracleReward:
            "--reward: 'oracle' needs the simulator's success predicate, which a world model does not have; "
                + "use --reward judge:PATH"
        }
    }
}
