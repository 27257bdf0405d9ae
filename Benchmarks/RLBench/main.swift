// RLBench: throughput of RL inside Prophet — rollout chunks per second through policy + Prophet + judge, and
// policy-update seconds per iteration — at each BLAS thread count, with the time split into policy / Prophet /
// judge / update. One iteration of the default RL shape (4 groups × 8 rollouts of ≤ 20 chunks, CH = 4, K = 4).
// Usage: swift build -c release --product RLBench && .build/release/RLBench [--threads 1,2] [--world prophet.sqlite]
//        [--policy sft.sqlite] [--judge judge.sqlite] [--starts demos.hdf5] [--outer 20]
// Without --world, Prophet is `--config small --chunk-frames 4` with random weights (its cost does not depend on
// them); without --starts, a blank 64×64 start frame.
import CheckpointSQLite
import FlowPolicy
import Foundation
import HDF5Episodes
import ProphetDiT
import ProphRL
import ProphRLCore
import TensorEngine
import VideoJudge

BLASRuntime.relaunchWithPreferredKernel()

/// Wall seconds spent inside a `WorldModel` or a `RewardModel`, summed.
final class Stopwatch: @unchecked Sendable {
    // @unchecked: the collector awaits each call in turn, so the total is never written concurrently.
    var total = 0.0
    func time<T>(_ body: () async throws -> T) async rethrows -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { total += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        return try await body()
    }
}

struct TimedWorldModel<Base: WorldModel>: WorldModel {
    let base: Base, watch: Stopwatch
    var frameFormat: FrameFormat { base.frameFormat }
    func predict(context: WorldModelContext, actions: ActionChunk, seed: UInt64) async throws -> VideoClip {
        try await watch.time { try await base.predict(context: context, actions: actions, seed: seed) }
    }
}

struct TimedReward: RewardModel {
    let base: any RewardModel, watch: Stopwatch
    func score(rollout: VideoClip, instruction: String) async throws -> RewardVerdict {
        try await watch.time { try await base.score(rollout: rollout, instruction: instruction) }
    }
}

func seconds(_ body: () async throws -> Void) async rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try await body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

struct WorldRecord: Decodable { var prophet: ProphetConfiguration }

func loadProphet(_ path: String?) throws -> ProphetModel {
    guard let path else {
        var configuration = ProphetConfiguration(encoderWidths: [16, 32, 32], modelWidth: 96, depth: 4, heads: 2, adaLNRank: 32)
        configuration.chunkFrames = 4
        configuration.framesPerSecond = 10
        return try ProphetModel(configuration: configuration, seed: 1)
    }
    let store = try SQLiteCheckpointStore(path: path, mode: .readOnly)
    let record = try JSONDecoder().decode(WorldRecord.self, from: Data(try store.runRecord().configJSON.utf8))
    let model = try ProphetModel(configuration: record.prophet, seed: 0)
    guard let latest = try store.latest() else { throw ValidationError.empty(argument: "--world checkpoints") }
    var parameters: [String: Tensor] = [:]
    for tensor in latest.tensors where tensor.name.hasPrefix("model.") {
        parameters[String(tensor.name.dropFirst(6))] = try Tensor(tensor.floats(), shape: tensor.shape)
    }
    try model.load(parameters: parameters)
    return model
}

var threadCounts = [1, 2]
var worldPath: String?, policyPath: String?, judgePath: String?, startsPath: String?
var outer = 20
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--threads": threadCounts = (arguments.next() ?? "").split(separator: ",").compactMap { Int($0) }
    case "--world": worldPath = arguments.next()
    case "--policy": policyPath = arguments.next()
    case "--judge": judgePath = arguments.next()
    case "--starts": startsPath = arguments.next()
    case "--outer": outer = Int(arguments.next() ?? "") ?? outer
    default: print("RLBench: unknown argument \(argument)"); exit(2)
    }
}

do {
    let groups = 4, groupSize = 8, task = "pick-bottle"
    let policy: FlowPolicy, judge: VideoJudge
    if let policyPath {
        policy = try await FlowPolicy.load(from: try SQLiteCheckpointStore(path: policyPath, mode: .readOnly), weightsOnly: true)
    } else {
        policy = try FlowPolicy(configuration: FlowPolicyConfiguration())
    }
    if let judgePath {
        judge = try await VideoJudge.load(from: try SQLiteCheckpointStore(path: judgePath, mode: .readOnly))
    } else {
        judge = try VideoJudge(configuration: VideoJudgeConfiguration())
    }
    let prophet = ProphetWorldModel(model: try loadProphet(worldPath), sampler: .fast)
    let starts: [WorldModelEnvironment<TimedWorldModel<ProphetWorldModel>>.Start]
    if let startsPath {
        var episodes: [Episode] = []
        let store = HDF5EpisodeStore(path: startsPath)
        for summary in try await store.list(task: task).prefix(20) { episodes.append(try await store.load(id: summary.id)) }
        starts = try WorldModelRLSetup.starts(from: episodes)
    } else {
        let state = try RobotState(effectors: [EndEffectorState(pose: try Pose(xyzRPY: [0.4, 0, 0.3, .pi, 0, 0]), gripper: 1)])
        starts = [.init(task: task, observation: Observation(image: try RGBImage(width: 64, height: 64), instruction: "pick up the bottle",
                                                              state: state))]
    }
    print("RLBench: \(groups)×\(groupSize) rollouts of \(outer) chunks (CH = \(policy.configuration.chunkSteps), "
          + "K = \(policy.configuration.denoisingSteps)); Prophet \(worldPath ?? "small, chunk 4, random weights") (fast sampler, "
          + "\(prophet.sampler.steps) steps); judge \(judgePath ?? "random"); kernel \(BLASRuntime.coreName)")
    for threads in threadCounts {
        try BLASRuntime.setThreads(threads)
        let prophetWatch = Stopwatch(), judgeWatch = Stopwatch()
        let world = try WorldModelEnvironment(model: TimedWorldModel(base: prophet, watch: prophetWatch), starts: starts,
                                              semantics: .absoluteDifference, maxChunks: outer)
        let environment = ScaledActionEnvironment(base: world, scaling: policy.actionScaling)
        let collector = RolloutCollector(policy: policy, environment: environment,
                                         reward: .model(TimedReward(base: judge, watch: judgeWatch), framesPerSecond: 10))
        var rng = SeededGenerator(seed: 11)
        var rollouts: [Rollout] = []
        let collect = try await seconds {
            for _ in 0..<groups {
                rollouts += try await collector.group(task: task, resetSeed: rng.next(), size: groupSize, noise: &rng,
                                                      outerSteps: outer, eta: 0.4)
            }
        }
        let records = rollouts.flatMap(\.records)
        // The update as GRPOTrainer does it: minibatches of 8 rollouts, recompute means, back-propagate, AdamW.
        let perMinibatch = max(records.count / groups, 1)
        var update = 0.0
        for start in stride(from: 0, to: records.count, by: perMinibatch) {
            let batch = Array(records[start..<min(start + perMinibatch, records.count)])
            update += try await seconds {
                let means = try await policy.transitionMeans(for: batch)
                _ = try await policy.applyMeansGradient(means.map { $0.map { $0.map { _ in 1e-3 } } }, for: batch)
            }
        }
        let policyAndGlue = collect - prophetWatch.total - judgeWatch.total
        let total = collect + update
        print(String(format: "threads %d: %d chunks in %.2f s → %.1f rollout chunks/s (policy + Prophet + judge); update %.2f s per iteration",
                     threads, records.count, collect, Double(records.count) / collect, update))
        print(String(format: "  breakdown of one iteration (%.2f s): policy act + env glue %.2f s (%.0f %%), Prophet %.2f s (%.0f %%; %.1f ms/chunk), "
                     + "judge %.2f s (%.0f %%), update %.2f s (%.0f %%)", total, policyAndGlue, 100 * policyAndGlue / total,
                     prophetWatch.total, 100 * prophetWatch.total / total, 1000 * prophetWatch.total / Double(records.count),
                     judgeWatch.total, 100 * judgeWatch.total / total, update, 100 * update / total))
    }
} catch {
    print("RLBench failed: \(error)")
    exit(1)
}
