import Foundation
import Testing

/// RL inside Prophet through the real binary at tiny sizes: a tiny Prophet (chunk 4, a few steps) and a judge
/// trained on real and Prophet-replayed rollouts drive one GRPO iteration from recorded starts.
@Suite("prophrl rl train --world")
struct RLWorldCLITests {
    @Test func oneRLIterationInsideProphet() throws {
        let dir = try SimCLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let demos = "\(dir)/demos.hdf5", sft = "\(dir)/sft.sqlite", prophet = "\(dir)/prophet.sqlite"
        let judge = "\(dir)/judge.sqlite", rl = "\(dir)/rl.sqlite"
        try Data(PolicyCLITests.tinyPolicy.utf8).write(to: URL(fileURLWithPath: "\(dir)/sft.json"))
        try Data(#"{"groupSize": 2, "groupsPerIteration": 1, "outerSteps": 2, "iterations": 1, "minibatchRollouts": 2}"#.utf8)
            .write(to: URL(fileURLWithPath: "\(dir)/rl.json"))
        let collect = try CLITests.run(["sim", "collect", "--task", "pick-bottle", "--episodes", "2", "--out", demos])
        #expect(collect.status == 0, "\(collect.output)")
        let world = try CLITests.run(["world", "train", "--data", demos, "--out", prophet, "--config", "tiny", "--chunk-frames", "4",
                                      "--ae-steps", "2", "--ae-batch", "1", "--dit-steps", "2", "--batch", "2", "--threads", "1"])
        #expect(world.status == 0, "\(world.output)")
        let policy = try CLITests.run(["policy", "sft", "--data", demos, "--config", "\(dir)/sft.json", "--out", sft])
        #expect(policy.status == 0, "\(policy.output)")
        let trained = try CLITests.run(["judge", "train", "--data", demos, "--prophet", prophet, "--prophet-data", demos,
                                        "--replays-out", "\(dir)/replays.hdf5", "--held-out", "0.5", "--steps", "3", "--out", judge])
        #expect(trained.status == 0, "\(trained.output)")
        #expect(trained.output.contains("Prophet-generated held-out accuracy"), "\(trained.output)")
        // The judge on the real videos after a round trip through Prophet's autoencoder (the AE's share of what is lost).
        let rebuilt = try CLITests.run(["judge", "eval", "--judge", judge, "--data", demos, "--reconstruct", prophet])
        #expect(rebuilt.status == 0 && rebuilt.output.contains("judge eval: accuracy") && rebuilt.output.contains("on 2 episodes"),
                "\(rebuilt.output)")
        // Both demos succeed, so the ranking of successes over failures is undefined and says so.
        #expect(rebuilt.output.contains("; AUC n/a (one class); mean P(success) ") && rebuilt.output.contains("n/a on failures"),
                "\(rebuilt.output)")
        let both = try CLITests.run(["judge", "eval", "--judge", judge, "--data", demos, "--reconstruct", prophet, "--prophet", prophet])
        #expect(both.status != 0 && both.output.contains("choose either --prophet or --reconstruct"), "\(both.output)")

        // One GRPO iteration in Prophet. The judge's P(success) as the reward differs between the group's rollouts, so
        // the update runs; the trainer throws if the first minibatch's recomputed log-probs do not reproduce the
        // stored ones (ratio 1 before any update), so a clean exit with an update checks that too.
        // With the physics shadow, each imagined rollout's actions are replayed in the simulator from its start's seed:
        // the run logs the physics outcome and the judged-minus-physics gap, and writes the imagined episodes.
        let imagined = "\(dir)/imagined.hdf5"
        let train = try CLITests.run(["rl", "train", "--policy", sft, "--task", "pick-bottle", "--config", "\(dir)/rl.json",
                                      "--world", prophet, "--starts", demos, "--reward", "judge-p:\(judge)", "--judge-terminates",
                                      "--physics-shadow", "--imagined-out", imagined, "--out", rl])
        #expect(train.status == 0, "\(train.output)")
        #expect(train.output.contains("environment: Prophet") && train.output.contains("iter 1: reward"), "\(train.output)")
        #expect(train.output.contains("zero-std groups 0.00"), "the group's rewards should differ: \(train.output)")
        #expect(train.output.contains("physics replay of the imagined actions"), "\(train.output)")
        #expect(train.output.contains("judge agrees with the simulator") && train.output.contains("; within-group AUC "),
                "\(train.output)")
        let show = try CLITests.run(["runs", "show", rl])
        #expect(show.status == 0 && show.output.contains("prophet:\(prophet)"), "\(show.output)")
        #expect(show.output.contains("ratio_mean") && show.output.contains("imagination_gap"), "\(show.output)")
        // An independent replay of each stored imagined episode in physics agrees with its label. (Its state check
        // may report divergence: the stored states are the integrated ones Prophet saw, not the simulator's.)
        for index in 0..<2 {
            let replay = try CLITests.run(["sim", "replay", imagined, "--episode", "\(index)"])
            #expect(replay.output.contains("pick-bottle-imagined-it1-\(index)"), "\(replay.output)")
            let verdict = replay.output.split(separator: "\n").first { $0.hasPrefix("success: recorded") }.map(String.init) ?? ""
            #expect(verdict == "success: recorded true, replayed true" || verdict == "success: recorded false, replayed false",
                    "\(replay.output)")
        }
        // The judge checked on what the advantages use: its ranking inside each of the run's groups (here one of 2).
        let grouped = try CLITests.run(["judge", "eval", "--judge", judge, "--data", imagined, "--group-size", "2"])
        #expect(grouped.status == 0 && grouped.output.contains("; within-group AUC ")
                && grouped.output.contains(" of 1 groups with both outcomes"), "\(grouped.output)")
        for (arguments, message) in [(["--data", imagined, "--group-size", "3"], "--group-size: group 0 of iteration 1 has 2 rollouts, not 3"),
                                     (["--data", demos, "--group-size", "2"], "is not an imagined rollout"),
                                     (["--data", imagined, "--group-size", "0"], "--group-size: expected an integer ≥ 1")] {
            let refused = try CLITests.run(["judge", "eval", "--judge", judge] + arguments)
            #expect(refused.status != 0 && refused.output.contains(message), "\(arguments): \(refused.output)")
        }

        // Each file is grouped on its own (every --imagined-out file starts at iteration 1, group 0).
        let twoFiles = try CLITests.run(["judge", "eval", "--judge", judge, "--data", imagined, "--data", imagined, "--group-size", "2"])
        #expect(twoFiles.status == 0 && twoFiles.output.contains(" of 2 groups with both outcomes"), "\(twoFiles.output)")

        // A judge trained on imagined rollouts in their RL groups: whole starts held out, minibatches of whole groups,
        // the pairwise ranking loss over each group's (success, failure) pairs.
        try Data(#"{"groupSize": 2, "groupsPerIteration": 4, "outerSteps": 2, "iterations": 1, "minibatchRollouts": 2}"#.utf8)
            .write(to: URL(fileURLWithPath: "\(dir)/rl4.json"))
        let fourGroups = "\(dir)/imagined4.hdf5", ranked = "\(dir)/ranked.sqlite"
        let four = try CLITests.run(["rl", "train", "--policy", sft, "--task", "pick-bottle", "--config", "\(dir)/rl4.json",
                                     "--world", prophet, "--starts", demos, "--reward", "judge-p:\(judge)", "--physics-shadow",
                                     "--imagined-out", fourGroups, "--out", "\(dir)/rl4.sqlite"])
        #expect(four.status == 0, "\(four.output)")
        let rankedTrain = try CLITests.run(["judge", "train", "--data", fourGroups, "--group-size", "2", "--ranking-weight", "1",
                                            "--held-out", "0.5", "--steps", "3", "--out", ranked])
        #expect(rankedTrain.status == 0 && rankedTrain.output.contains("held-out groups (new starts): within-group AUC "),
                "\(rankedTrain.output)")
        let rankedShow = try CLITests.run(["runs", "show", ranked])
        #expect(rankedShow.output.contains("\"rankingWeight\"") && rankedShow.output.contains("\"groupSize\""), "\(rankedShow.output)")
        for (arguments, message) in [(["--data", fourGroups, "--ranking-weight", "1"], "--ranking-weight: needs --group-size"),
                                     (["--data", fourGroups, "--group-size", "2", "--ranking-weight=-1"], "--ranking-weight: expected a number ≥ 0"),
                                     (["--data", demos, "--group-size", "2"], "is not an imagined rollout"),
                                     (["--data", imagined, "--group-size", "2"], "--group-size: 1 starts are too few to hold out 1"),
                                     (["--data", fourGroups, "--group-size", "2", "--generated-data", imagined],
                                      "--group-size: give the imagined rollouts as --data")] {
            let refused = try CLITests.run(["judge", "train", "--held-out", "0.5", "--steps", "1", "--out", "\(dir)/refused.sqlite"] + arguments)
            #expect(refused.status != 0 && refused.output.contains(message), "\(arguments): \(refused.output)")
        }

        // Starts one chunk into the recorded episodes: the shadow replays the recorded chunk first, so each stored
        // episode is the whole episode (recorded part, then the policy's) and replays in physics to its label.
        let midImagined = "\(dir)/imagined-mid.hdf5"
        let mid = try CLITests.run(["rl", "train", "--policy", sft, "--task", "pick-bottle", "--config", "\(dir)/rl.json",
                                    "--world", prophet, "--starts", demos, "--start-chunks", "1", "--reward", "judge-p:\(judge)",
                                    "--physics-shadow", "--imagined-out", midImagined, "--out", "\(dir)/rl-mid.sqlite"])
        #expect(mid.status == 0 && mid.output.contains("at chunks 1"), "\(mid.output)")
        for index in 0..<2 {
            let replay = try CLITests.run(["sim", "replay", midImagined, "--episode", "\(index)"])
            let verdict = replay.output.split(separator: "\n").first { $0.hasPrefix("success: recorded") }.map(String.init) ?? ""
            #expect(verdict == "success: recorded true, replayed true" || verdict == "success: recorded false, replayed false",
                    "\(replay.output)")
        }
        // The diagnostic reward: the physics shadow's outcome of the imagined actions is the reward itself.
        let shadow = try CLITests.run(["rl", "train", "--policy", sft, "--task", "pick-bottle", "--config", "\(dir)/rl.json",
                                       "--world", prophet, "--starts", demos, "--reward", "physics-shadow", "--physics-shadow",
                                       "--out", "\(dir)/rl-shadow.sqlite"])
        #expect(shadow.status == 0 && shadow.output.contains("reward: the physics shadow's outcome"), "\(shadow.output)")
        let lines = shadow.output.split(separator: "\n").map(String.init)
        let rewardValue = lines.first { $0.hasPrefix("iter 1: reward ") }.flatMap { Double($0.dropFirst(15).prefix(5)) }
        let physicsValue = lines.first { $0.contains("(the reward)") }
            .flatMap { $0.components(separatedBy: "success ").last.flatMap { Double($0.prefix(5)) } }
        #expect(rewardValue != nil && rewardValue == physicsValue, "reward must be the physics outcome: \(shadow.output)")
        let shadowShow = try CLITests.run(["runs", "show", "\(dir)/rl-shadow.sqlite"])
        #expect(shadowShow.output.contains("physics-shadow") && !shadowShow.output.contains("imagination_gap"), "\(shadowShow.output)")
        for (extra, message) in [([String](), "--reward physics-shadow: needs --physics-shadow"),
                                 (["--physics-shadow", "--judge-terminates"], "--judge-terminates: needs a judge reward")] {
            let refused = try CLITests.run(["rl", "train", "--policy", sft, "--task", "pick-bottle", "--world", prophet, "--starts", demos,
                                            "--reward", "physics-shadow", "--out", "\(dir)/ps.sqlite"] + extra)
            #expect(refused.status != 0 && refused.output.contains(message), "\(refused.output)")
        }
        let shadowInSim = try CLITests.run(["rl", "train", "--policy", sft, "--task", "pick-bottle", "--reward", "physics-shadow",
                                            "--out", "\(dir)/pss.sqlite"])
        #expect(shadowInSim.status != 0 && shadowInSim.output.contains("only meaningful with --world --physics-shadow"),
                "\(shadowInSim.output)")

        // The policy looks through Prophet's autoencoder: fine-tuned on viewed demo frames, trained inside Prophet and
        // evaluated in physics through the same lens; every run records the Prophet file it looked through.
        let viewedSFT = "\(dir)/sft-view.sqlite", viewedRL = "\(dir)/rl-view.sqlite"
        let sftView = try CLITests.run(["policy", "sft", "--data", demos, "--config", "\(dir)/sft.json", "--view-through", prophet,
                                        "--out", viewedSFT])
        #expect(sftView.status == 0 && sftView.output.contains("autoencoder view 2/2"), "\(sftView.output)")
        #expect(try CLITests.run(["runs", "show", viewedSFT]).output.contains("\"viewThrough\""))
        let rlView = try CLITests.run(["rl", "train", "--policy", viewedSFT, "--task", "pick-bottle", "--config", "\(dir)/rl.json",
                                       "--world", prophet, "--starts", demos, "--reward", "judge-p:\(judge)", "--view-through", prophet,
                                       "--out", viewedRL])
        #expect(rlView.status == 0 && rlView.output.contains("policy view: every frame after a round trip")
                && rlView.output.contains("iter 1: reward"), "\(rlView.output)")
        // `world view` caches the viewed demos: SFT on the cache equals SFT viewing the raw demos (same losses, same
        // weights' metrics) without viewing again, and the anchor of an RL run reads the cache too.
        let cached = "\(dir)/demos-viewed.hdf5"
        let view = try CLITests.run(["world", "view", "--model", prophet, "--data", demos, "--batch", "1", "--out", cached])
        #expect(view.status == 0 && view.output.contains("viewing 2 episodes") && view.output.contains("wrote"), "\(view.output)")
        let resumed = try CLITests.run(["world", "view", "--model", prophet, "--data", demos, "--out", cached])
        #expect(resumed.status == 0 && resumed.output.contains("viewing 0 episodes") && resumed.output.contains("(2 already in"),
                "\(resumed.output)")
        let sftCached = try CLITests.run(["policy", "sft", "--data", cached, "--config", "\(dir)/sft.json", "--view-through", prophet,
                                          "--out", "\(dir)/sft-cached.sqlite"])
        #expect(sftCached.status == 0 && sftCached.output.contains("already seen through")
                && !sftCached.output.contains("autoencoder view 1/"), "\(sftCached.output)")
        func metricsLog(_ path: String) throws -> String {
            try CLITests.run(["runs", "show", path]).output.components(separatedBy: "metrics log").last ?? ""
        }
        #expect(try metricsLog("\(dir)/sft-cached.sqlite") == metricsLog(viewedSFT) && !metricsLog(viewedSFT).isEmpty)
        try Data(#"{"groupSize": 2, "groupsPerIteration": 1, "outerSteps": 2, "iterations": 1, "minibatchRollouts": 2, "anchorWeight": 1.0, "anchorBatch": 4}"#.utf8)
            .write(to: URL(fileURLWithPath: "\(dir)/rl-anchor.json"))
        let anchored = try CLITests.run(["rl", "train", "--policy", viewedSFT, "--task", "pick-bottle", "--config", "\(dir)/rl-anchor.json",
                                         "--world", prophet, "--starts", demos, "--reward", "judge-p:\(judge)", "--view-through", prophet,
                                         "--anchor-demos", cached, "--out", "\(dir)/rl-anchor.sqlite"])
        #expect(anchored.status == 0 && anchored.output.contains("--anchor-demos: \(cached)'s frames are already seen through")
                && anchored.output.contains("anchor loss"), "\(anchored.output)")
        let otherInterval = "\(dir)/demos-viewed-3.hdf5", otherProphet = "\(dir)/prophet-lora.sqlite"
        #expect(try CLITests.run(["world", "finetune", "--from", prophet, "--data", demos, "--out", otherProphet, "--dit-steps", "1",
                                  "--batch", "1", "--warmup", "1", "--checkpoint-every", "1", "--threads", "1"]).status == 0)
        #expect(try CLITests.run(["world", "view", "--model", prophet, "--data", demos, "--chunk-steps", "3", "--out", otherInterval]).status == 0)
        for (arguments, message) in [(["policy", "sft", "--data", cached, "--config", "\(dir)/sft.json", "--out", "\(dir)/raw.sqlite"],
                                      "holds frames seen through \(prophet)'s autoencoder ('world view'); pass --view-through"),
                                     (["policy", "sft", "--data", otherInterval, "--config", "\(dir)/sft.json", "--view-through", prophet,
                                       "--out", "\(dir)/i.sqlite"], "was viewed for decisions every 3 frames, the policy decides every 4"),
                                     (["policy", "sft", "--data", cached, "--config", "\(dir)/sft.json", "--view-through", otherProphet,
                                       "--out", "\(dir)/o.sqlite"], "holds frames seen through another Prophet run"),
                                     (["world", "view", "--model", prophet, "--data", cached, "--out", "\(dir)/twice.hdf5"],
                                      "is already seen through"),
                                     (["world", "view", "--model", prophet, "--data", demos, "--out", otherInterval],
                                      "exists and is not a view of"),
                                     (["world", "view", "--model", prophet, "--data", demos, "--out", demos], "--out: must differ from --data")] {
            let refused = try CLITests.run(arguments)
            #expect(refused.status != 0 && refused.output.contains(message), "\(refused.output)")
        }
        let evalView = try CLITests.run(["sim", "eval", "--policy", viewedRL, "--task", "pick-bottle", "--episodes", "1", "--runs", "1",
                                         "--integrated-state", "--view-through", prophet, "--json", "\(dir)/view.json"])
        #expect(evalView.status == 0 && evalView.output.contains("success"), "\(evalView.output)")
        #expect(try String(contentsOfFile: "\(dir)/view.json", encoding: .utf8).contains("\"viewThrough\""))
        let unviewed = try CLITests.run(["sim", "eval", "--policy", viewedRL, "--task", "pick-bottle", "--episodes", "1", "--runs", "1"])
        #expect(unviewed.status == 0 && unviewed.output.contains("was trained looking through \(prophet)"), "\(unviewed.output)")
        // RL in the simulator under the evaluation's protocol: viewed frames and the integrated state, recorded in the run.
        let simViewed = try CLITests.run(["rl", "train", "--policy", viewedSFT, "--task", "pick-bottle", "--config", "\(dir)/rl.json",
                                          "--view-through", prophet, "--integrated-state", "--out", "\(dir)/sim-viewed.sqlite"])
        #expect(simViewed.status == 0 && simViewed.output.contains("policy state: integrated from its own actions")
                && simViewed.output.contains("policy view: every camera frame") && simViewed.output.contains("iter 1: reward"),
                "\(simViewed.output)")
        let simRecord = try CLITests.run(["runs", "show", "\(dir)/sim-viewed.sqlite"]).output
        #expect(simRecord.contains("\"stateInput\":\"integrated\"") && simRecord.contains("\"viewThrough\""), "\(simRecord)")
        for (arguments, message) in [(["rl", "train", "--policy", sft, "--task", "pick-bottle", "--world", prophet, "--starts", demos,
                                       "--reward", "judge:\(judge)", "--integrated-state", "--out", "\(dir)/w.sqlite"],
                                      "--integrated-state: only meaningful in the simulator"),
                                     (["rl", "train", "--policy", sft, "--task", "pick-bottle", "--view-through", "\(dir)/none.sqlite",
                                       "--out", "\(dir)/w.sqlite"], "--view-through: no such file"),
                                     (["sim", "eval", "--policy", sft, "--task", "pick-bottle", "--episodes", "1", "--runs", "1",
                                       "--view-through", "\(dir)/none.sqlite"], "--view-through: no such file"),
                                     (["policy", "sft", "--data", demos, "--view-through", "\(dir)/none.sqlite", "--out", "\(dir)/z.sqlite"],
                                      "--view-through: no such file")] {
            let refused = try CLITests.run(arguments)
            #expect(refused.status != 0 && refused.output.contains(message), "\(refused.output)")
        }

        let negative = try CLITests.run(["rl", "train", "--policy", sft, "--task", "pick-bottle", "--world", prophet, "--starts", demos,
                                         "--start-chunks", "0,-2", "--reward", "judge:\(judge)", "--out", "\(dir)/n.sqlite"])
        #expect(negative.status != 0 && negative.output.contains("--start-chunks: expected comma-separated chunk offsets"), "\(negative.output)")
        let offsetsAlone = try CLITests.run(["rl", "train", "--policy", sft, "--task", "pick-bottle", "--start-chunks", "2",
                                             "--out", "\(dir)/y.sqlite"])
        #expect(offsetsAlone.status != 0 && offsetsAlone.output.contains("--start-chunks: only meaningful with --world"), "\(offsetsAlone.output)")

        // The imagined episodes (Prophet video, physics label) train a judge alongside real data.
        let retrained = try CLITests.run(["judge", "train", "--data", demos, "--generated-data", imagined,
                                          "--generated-data", "\(dir)/replays.hdf5", "--held-out", "0.5",
                                          "--steps", "3", "--out", "\(dir)/judge2.sqlite"])
        #expect(retrained.status == 0 && retrained.output.contains("2 Prophet-generated")
                && retrained.output.contains("2 generated held out"), "\(retrained.output)")
        // A judge that also reads each rollout's states (statePoints): trained on the imagined episodes' integrated
        // states, it drives RL inside Prophet from the episodes' first frames, and refuses mid-episode starts.
        try Data(#"{"statePoints": 3}"#.utf8).write(to: URL(fileURLWithPath: "\(dir)/state-judge.json"))
        let stateJudge = "\(dir)/judge-state.sqlite"
        let stateTrained = try CLITests.run(["judge", "train", "--data", demos, "--data", imagined, "--config", "\(dir)/state-judge.json",
                                             "--held-out", "0.5", "--steps", "3", "--out", stateJudge])
        #expect(stateTrained.status == 0 && stateTrained.output.contains("held-out accuracy"), "\(stateTrained.output)")
        let stateEval = try CLITests.run(["judge", "eval", "--judge", stateJudge, "--data", imagined])
        #expect(stateEval.status == 0 && stateEval.output.contains("judge eval: accuracy"), "\(stateEval.output)")
        let stateRL = try CLITests.run(["rl", "train", "--policy", sft, "--task", "pick-bottle", "--config", "\(dir)/rl.json",
                                        "--world", prophet, "--starts", demos, "--reward", "judge-p:\(stateJudge)", "--out", "\(dir)/rl-state.sqlite"])
        #expect(stateRL.status == 0 && stateRL.output.contains("reading 3 of each rollout's states")
                && stateRL.output.contains("iter 1: reward"), "\(stateRL.output)")
        // An ensemble of the state judge and a video-only one: the reward is mean − penalty × std of their P(success).
        let ensembleRL = try CLITests.run(["rl", "train", "--policy", sft, "--task", "pick-bottle", "--config", "\(dir)/rl.json",
                                           "--world", prophet, "--starts", demos, "--reward", "judge-p:\(stateJudge),\(judge)",
                                           "--judge-penalty", "0.5", "--out", "\(dir)/rl-ensemble.sqlite"])
        #expect(ensembleRL.status == 0 && ensembleRL.output.contains("an ensemble of 2 learned judges")
                && ensembleRL.output.contains("mean − 0.5 × std") && ensembleRL.output.contains("iter 1: reward"), "\(ensembleRL.output)")
        let ensembleShow = try CLITests.run(["runs", "show", "\(dir)/rl-ensemble.sqlite"])
        #expect(ensembleShow.output.contains("\"judgePenalty\":0.5") && ensembleShow.output.contains("judge-p:\(stateJudge),\(judge)"),
                "\(ensembleShow.output)")
        let ensembleEval = try CLITests.run(["judge", "eval", "--judge", stateJudge, "--judge", judge, "--penalty", "2", "--data", imagined])
        #expect(ensembleEval.status == 0 && ensembleEval.output.contains("judge \(stateJudge): accuracy")
                && ensembleEval.output.contains("ensemble of 2, reward mean − 2.0 × std: accuracy")
                && ensembleEval.output.contains("AUC of the plain mean"), "\(ensembleEval.output)")
        for (arguments, message) in [
            (["--reward", "judge:\(stateJudge),\(judge)"], "an ensemble of judges needs the continuous reward"),
            (["--reward", "judge-p:\(judge)", "--judge-penalty", "1"], "--judge-penalty: only meaningful with an ensemble"),
            (["--reward", "judge-p:\(stateJudge),\(judge)", "--judge-penalty=-1"], "--judge-penalty: expected a number ≥ 0"),
            (["--reward", "judge-p:\(judge),\(judge)"], "a judge is listed twice"),
            (["--reward", "judge-p:\(judge),"], "judge 2 of"),
            (["--reward", "judge-p:\(judge),\(dir)/none.sqlite"], "--reward: no judge run file at \(dir)/none.sqlite"),
            (["--reward", "judge-p:\(stateJudge),\(judge)", "--judge-terminates"], "--judge-terminates: needs a single judge"),
        ] {
            let refused = try CLITests.run(["rl", "train", "--policy", sft, "--task", "pick-bottle", "--config", "\(dir)/rl.json",
                                            "--world", prophet, "--starts", demos, "--out", "\(dir)/refused.sqlite"] + arguments)
            #expect(refused.status != 0 && refused.output.contains(message), "\(arguments): \(refused.output)")
        }
        let lonePenalty = try CLITests.run(["judge", "eval", "--judge", judge, "--penalty", "1", "--data", imagined])
        #expect(lonePenalty.status != 0 && lonePenalty.output.contains("--penalty: only meaningful with two or more --judge"), "\(lonePenalty.output)")
        let stateMid = try CLITests.run(["rl", "train", "--policy", sft, "--task", "pick-bottle", "--config", "\(dir)/rl.json",
                                         "--world", prophet, "--starts", demos, "--start-chunks", "1", "--reward", "judge:\(stateJudge)",
                                         "--out", "\(dir)/rl-state-mid.sqlite"])
        #expect(stateMid.status != 0 && stateMid.output.contains("needs rollouts from the episodes' first frames"), "\(stateMid.output)")
        let missing = try CLITests.run(["judge", "train", "--data", demos, "--generated-data", "\(dir)/none.hdf5", "--out", "\(dir)/j3.sqlite"])
        #expect(missing.status != 0 && missing.output.contains("--generated-data: no such file"), "\(missing.output)")
        let shadowAlone = try CLITests.run(["rl", "train", "--policy", sft, "--task", "pick-bottle", "--physics-shadow", "--out", "\(dir)/x.sqlite"])
        #expect(shadowAlone.status != 0 && shadowAlone.output.contains("--physics-shadow: only meaningful with --world"), "\(shadowAlone.output)")

        let oracle = try CLITests.run(["rl", "train", "--policy", sft, "--task", "pick-bottle", "--world", prophet, "--starts", demos,
                                       "--out", "\(dir)/o.sqlite"])
        #expect(oracle.status != 0 && oracle.output.contains("--reward: 'oracle'"), "\(oracle.output)")
        let noStarts = try CLITests.run(["rl", "train", "--policy", sft, "--task", "pick-bottle", "--world", prophet,
                                         "--reward", "judge:\(judge)", "--out", "\(dir)/s.sqlite"])
        #expect(noStarts.status != 0 && noStarts.output.contains("--starts"), "\(noStarts.output)")
    }
}
