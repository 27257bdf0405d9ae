// PolicyBench: where the time of one RL iteration in the simulator goes (rollout collection through policy +
// Bullet + SoftRaster, then the policy update), for the FlowPolicy at its default sizes.
// `swift build -c release --product PolicyBench && OPENBLAS_NUM_THREADS=1 .build/release/PolicyBench [--policy sft.sqlite]`
import BulletSimulator
import CheckpointSQLite
import FlowPolicy
import Foundation
import ProphRL
import ProphRLCore
import SoftRaster

func seconds(_ body: () async throws -> Void) async rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try await body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

let arguments = CommandLine.arguments
let policyPath = arguments.firstIndex(of: "--policy").map { arguments[$0 + 1] }
let task = SimTask.pickBottle
let groups = 4, groupSize = 8

do {
    let policy: FlowPolicy
    if let policyPath {
        policy = try await FlowPolicy.load(from: try SQLiteCheckpointStore(path: policyPath, mode: .readOnly), weightsOnly: true)
    } else {
        policy = try FlowPolicy(configuration: FlowPolicyConfiguration())
    }
    let simulator = try BulletEnvironment(renderer: try SoftRasterizer(), resolution: 64)
    let environment = ScaledActionEnvironment(base: simulator, scaling: policy.actionScaling)
    let outer = (task.stepLimit + policy.configuration.chunkSteps - 1) / policy.configuration.chunkSteps
    let collector = RolloutCollector(policy: policy, environment: environment, reward: .environmentSuccess)
    var rng = SeededGenerator(seed: 11)
    var rollouts: [Rollout] = []
    let collect = try await seconds {
        for _ in 0..<groups {
            rollouts += try await collector.group(task: task.rawValue, resetSeed: rng.next(), size: groupSize, noise: &rng,
                                                  outerSteps: outer, eta: 0.5)
        }
    }
    let records = rollouts.flatMap(\.records)
    let actions = rollouts.reduce(0) { $0 + $1.done.reduce(0) { $0 + $1.count } }
    // The two halves of a rollout step, timed apart on the collected observations.
    let act = try await seconds {
        for record in records { _ = try await policy.act(on: record.observation, sampling: .stochastic(eta: 0.5, seed: 1)) }
    }
    // One update over all chunks in minibatches of 8 rollouts' worth: recompute means, then back-propagate.
    let perMinibatch = max(records.count / groups, 1)
    var meansTime = 0.0, backwardTime = 0.0
    for start in stride(from: 0, to: records.count, by: perMinibatch) {
        let batch = Array(records[start..<min(start + perMinibatch, records.count)])
        var means: [[[Double]]] = []
        meansTime += try await seconds { means = try await policy.transitionMeans(for: batch) }
        let gradient = means.map { $0.map { $0.map { _ in 1e-3 } } }
        backwardTime += try await seconds { _ = try await policy.applyMeansGradient(gradient, for: batch) }
    }
    let threads = ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] ?? "default"
    print("PolicyBench (\(task.rawValue), \(groups)×\(groupSize) rollouts, OPENBLAS_NUM_THREADS=\(threads), \(await policy.parameterCount) parameters)")
    print(String(format: "collection: %d chunks (%d actions) in %.2f s → %.1f chunks/s", records.count, actions, collect,
                 Double(records.count) / collect))
    print(String(format: "  policy act (Flow-SDE, K=%d): %.2f ms/chunk (%.0f %% of collection)", policy.configuration.denoisingSteps,
                 1000 * act / Double(records.count), 100 * act / collect))
    print(String(format: "update: %.2f s per iteration (means %.2f s, backward + AdamW %.2f s) → %.0f chunks/s",
                 meansTime + backwardTime, meansTime, backwardTime, Double(records.count) / (meansTime + backwardTime)))
} catch {
    print("PolicyBench failed: \(error)")
    exit(1)
}
