import BulletSimulator
import FlowPolicy
import Foundation
import ProphetDiT
import ProphRL
import ProphRLCore
import VideoJudge

/// The world-model side of `rl train --world PROPHET --starts DATA`: Prophet as the environment.
struct WorldRL: Sendable {
    /// The Prophet run file.
    var prophet: String
    /// HDF5 episodes whose first frame, instruction and state start the rollouts.
    var starts: String
    /// Chunk offsets into the starts' episodes where rollouts begin (0: their first frames).
    var startChunks: [Int] = [0]
    /// Whether the judge ends a rollout early when it declares success.
    var judgeTerminates: Bool
    /// Whether every imagined rollout's actions are also replayed open-loop in the simulator from the start's seed
    /// (``PhysicsShadowEnvironment``): the physics outcome becomes the rollout's logged success.
    var physicsShadow = false
    /// With ``physicsShadow``: an HDF5 file that receives every imagined episode with its physics label.
    var imaginedOut: String?
    /// With ``physicsShadow``: the shadow's physics outcome is the reward (`--reward physics-shadow`, a diagnostic).
    var shadowReward = false

    /// Prophet (fast sampler) over the recorded starts of `task`, in robot units (wrap it in the policy's scaling);
    /// `judge` ends rollouts early on success with `--judge-terminates`.
    /// - Throws: ``WorldModelRLError`` when Prophet's chunk, frame size or rate does not match the policy and the starts;
    ///   `CLIError` naming `--starts` when it has no episode of `task`.
    func environment(policy: FlowPolicy, task: SimTask, resolution: Int, maxChunks: Int,
                     judge: VideoJudge?) async throws -> WorldModelEnvironment<ProphetWorldModel> {
        let (model, _) = try WorldSupport.loadModel(prophet)
        let world = ProphetWorldModel(model: model, sampler: .fast)
        let episodes = try WorldSupport.episodes(starts).filter { $0.task == task.rawValue }
        guard let first = episodes.first else { throw CLIError("--starts: no episode of task \(task.rawValue) in \(starts)") }
        let setup = WorldModelRLSetup(modelFormat: world.frameFormat, modelChunkFrames: model.configuration.chunkFrames,
                                      policyChunkSteps: policy.configuration.chunkSteps, policyResolution: resolution)
        try setup.validate(startsFramesPerSecond: first.video.framesPerSecond, reward: "judge")
        if let frame = first.video.frames.first, frame.width != resolution || frame.height != resolution {
            throw CLIError("--starts: frames are \(frame.width)x\(frame.height), the policy expects \(resolution)x\(resolution)")
        }
        let starts: [WorldModelEnvironment<ProphetWorldModel>.Start] = try WorldModelRLSetup.starts(from: episodes, chunkOffsets: startChunks)
        return try WorldModelEnvironment(model: world, starts: starts, semantics: Self.semantics, maxChunks: maxChunks,
                                         successJudge: judgeTerminates ? judge : nil)
    }

    /// How the recorded (simulator) actions move the robot; the integrated state follows the same rule
    /// (BulletEnvironment's description declares `.absoluteDifference`).
    static let semantics = ActionSemantics.absoluteDifference
}
