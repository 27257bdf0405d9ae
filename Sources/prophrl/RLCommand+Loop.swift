import BulletSimulator
import CheckpointSQLite
import FlowPolicy
import Foundation
import HDF5Episodes
import ProphRL
import ProphRLCore

extension RLTrainCommand {
    /// The iteration loop of `rl train`, shared by the simulator and the world-model environment: metrics, console
    /// lines, checkpoints and plots.
    struct TrainingLoop {
        var file: RLConfigFile
        var start: Int
        var store: SQLiteCheckpointStore
        var plotPrefix: String
        /// Whether to log how often a judge reward agrees with the simulator's success (in the simulator, or inside
        /// Prophet with a physics shadow).
        var reportAgreement: Bool
        /// Inside Prophet with `--physics-shadow`: the audited environment's episodes, drained after each iteration.
        var audit: ImaginationAudit?
        /// Whether the reward is the physics shadow's outcome itself (`--reward physics-shadow`): no judged-vs-physics gap.
        var shadowReward = false
        /// Demonstration examples of the imitation anchor (config `anchorWeight`), empty without one.
        var anchorExamples: [DemonstrationExample] = []

        /// Runs GRPO in `base` (robot units), seen through `view` when one is given, with the policy's action scaling.
        func run<Base: Environment>(in base: Base, view: (any FrameView)?, policy: FlowPolicy, reference: FlowPolicy?,
                                    reward: RewardSource, task: SimTask) async throws {
            if let view {
                let viewed = ScaledActionEnvironment(base: ViewedEnvironment(base: base, view: view), scaling: policy.actionScaling)
                try await run(try GRPOTrainer(options: file.options, policy: policy, reference: reference, environment: viewed,
                                              reward: reward, anchorExamples: anchorExamples), task: task)
            } else {
                let environment = ScaledActionEnvironment(base: base, scaling: policy.actionScaling)
                try await run(try GRPOTrainer(options: file.options, policy: policy, reference: reference, environment: environment,
                                              reward: reward, anchorExamples: anchorExamples), task: task)
            }
        }

        /// Runs iterations `start..<file.iterations` of `trainer`, checkpointing its policy.
        func run<Env: Environment>(_ trainer: GRPOTrainer<FlowPolicy, Env>, task: SimTask) async throws {
            let policy = trainer.policy
            print("rl: \(task.rawValue), \(file.options.objective.rawValue), \(file.options.groupsPerIteration)×\(file.options.groupSize) "
                  + "rollouts of ≤ \(file.options.outerSteps) chunks per iteration, \(file.iterations) iterations")
            let retention = try RetentionPolicy(keepLast: file.keepCheckpoints)
            for iteration in start..<max(start, file.iterations) {
                let clock = ContinuousClock(), began = clock.now
                let report = try await trainer.iterate(iteration)
                let elapsed = clock.now - began
                let seconds = Double(elapsed.components.attoseconds) * 1e-18 + Double(elapsed.components.seconds)
                var metrics: [String: Double] = [
                    "reward_mean": report.meanReward, "success_rate": report.successRate,
                    "zero_std_groups": report.allEqualGroupFraction, "clip_fraction": report.clipFraction, "kl": report.kl,
                    "approx_kl": report.approxKL, "ratio_mean": report.meanRatio, "loss": report.loss,
                    "grad_norm": report.gradientNorm, "updates": Double(report.updates), "iteration_seconds": seconds,
                ]
                for (k, norm) in report.perStepGradientNorms.enumerated() { metrics["grad_norm_k\(k)"] = norm }
                if let anchorLoss = report.anchorLoss { metrics["anchor_loss"] = anchorLoss }
                if reportAgreement {
                    // How often the judge's verdict matches the simulator's success predicate on these (on-policy) rollouts.
                    let agree = zip(report.rewards, report.successes).filter { ($0.0 >= 0.5) == $0.1 }.count
                    metrics["judge_agreement"] = Double(agree) / Double(max(report.rewards.count, 1))
                    // What the advantages use: does the judge rank each group's successes above its failures?
                    metrics["judge_group_auc"] = RankAgreement.withinGroups(scores: report.rewards, labels: report.successes,
                                                                             groupSize: file.options.groupSize)
                }
                if audit != nil && !shadowReward {
                    // The rollouts' success is the physics outcome of the imagined actions; reward is the judged imagination.
                    metrics["imagination_gap"] = report.meanReward - report.successRate
                }
                try store.logMetrics(step: iteration + 1, metrics)
                print(String(format: "iter %d: reward %.3f, zero-std groups %.2f, clip %.3f, kl %.2e, |g| %.3f, %.1f s",
                             iteration + 1, report.meanReward, report.allEqualGroupFraction, report.clipFraction, report.kl,
                             report.gradientNorm, seconds) + (report.anchorLoss.map { String(format: ", anchor loss %.4f", $0) } ?? ""))
                if let audit {
                    print(shadowReward
                          ? String(format: "        physics replay of the imagined actions: success %.3f (the reward)", report.successRate)
                          : String(format: "        physics replay of the imagined actions: success %.3f vs judged %.3f (gap %+.3f)",
                                   report.successRate, report.meanReward, report.meanReward - report.successRate))
                    try await audit.record(iteration: iteration)
                }
                if let agreement = metrics["judge_agreement"] {
                    let auc = metrics["judge_group_auc"].map { String(format: "%.2f", $0) } ?? "n/a"
                    print(String(format: "        judge agrees with the simulator on %.1f %% of rollouts (true success rate %.3f)",
                                 100 * agreement, report.successRate) + "; within-group AUC \(auc)")
                }
                fflush(nil)
                if (iteration + 1) % file.checkpointEvery == 0 || iteration + 1 == file.iterations {
                    try store.save(try await policy.checkpoint(step: iteration + 1, wallTime: Date().timeIntervalSince1970,
                                                               metrics: ["reward_mean": report.meanReward]), retention: retention)
                }
            }
            try RLTrainCommand.writePlots(store: store, prefix: plotPrefix)
        }
    }

    /// Drains a ``PhysicsShadowEnvironment`` after each iteration and appends its imagined episodes (Prophet video,
    /// physics label) to an HDF5 file, ids numbered by iteration so a resumed run replaces rather than duplicates.
    struct ImaginationAudit {
        /// The audited episodes since the last drain.
        var drain: @Sendable () async -> [Episode]
        /// Where the imagined episodes go; nil keeps only the metrics.
        var out: HDF5EpisodeStore?

        /// Audits `environment`, writing to `out` if given.
        init<Model: WorldModel, Shadow: Environment>(environment: PhysicsShadowEnvironment<Model, Shadow>, out: HDF5EpisodeStore?) {
            drain = { await environment.drainEpisodes().map(\.imagined) }
            self.out = out
        }

        /// Drains the environment and stores iteration `iteration`'s episodes.
        func record(iteration: Int) async throws {
            var episodes = await drain()
            guard let out else { return }
            for k in episodes.indices {
                episodes[k].id = ImaginedEpisodeID(task: episodes[k].task, iteration: iteration + 1, index: k).description
            }
            try await out.save(contentsOf: episodes)
        }
    }
}
