import Foundation
import Testing

/// The policy pipeline through the real binary at tiny sizes: collect → SFT → eval → one RL iteration → resume.
@Suite("prophrl policy / sim eval / rl train")
struct PolicyCLITests {
    static let tinyPolicy = #"{"policy": {"chunkSteps": 4, "denoisingSteps": 2, "hiddenWidth": 16, "conditionWidth": 16}, "sft": {"steps": 4, "batchSize": 8, "checkpointEvery": 2}}"#

    @Test func sftEvalRLAndResume() throws {
        let dir = try SimCLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let demos = "\(dir)/demos.hdf5", sft = "\(dir)/sft.sqlite", rl = "\(dir)/rl.sqlite"
        try Data(Self.tinyPolicy.utf8).write(to: URL(fileURLWithPath: "\(dir)/sft.json"))
        try Data(#"{"groupSize": 2, "groupsPerIteration": 1, "outerSteps": 2, "iterations": 1, "minibatchRollouts": 2, "checkpointEvery": 1, "keepCheckpoints": 3}"#.utf8)
            .write(to: URL(fileURLWithPath: "\(dir)/rl.json"))
        let collect = try CLITests.run(["sim", "collect", "--task", "pull-tissue", "--episodes", "2", "--resolution", "16", "--out", demos])
        #expect(collect.status == 0, "\(collect.output)")

        let first = try CLITests.run(["policy", "sft", "--data", demos, "--config", "\(dir)/sft.json", "--out", sft])
        #expect(first.status == 0, "\(first.output)")
        #expect(first.output.contains("sft: 2 demos"))
        // A longer schedule on the same run file resumes from its last checkpoint.
        let resumed = try CLITests.run(["policy", "sft", "--data", demos, "--config", "\(dir)/sft.json", "--steps", "6", "--out", sft])
        #expect(resumed.status == 0 && resumed.output.contains("resuming \(sft) at step 4"), "\(resumed.output)")

        let eval = try CLITests.run(["sim", "eval", "--policy", sft, "--task", "pull-tissue", "--episodes", "1", "--runs", "2",
                                     "--resolution", "16", "--frames-dir", "\(dir)/frames"])
        #expect(eval.status == 0, "\(eval.output)")
        #expect(eval.output.contains("pull-tissue: success") && eval.output.contains("(2 runs × 1 episodes)"))
        #expect(FileManager.default.fileExists(atPath: "\(dir)/frames/run1-seed10000000/frame_0000.png"))

        let train = try CLITests.run(["rl", "train", "--policy", sft, "--task", "pull-tissue", "--config", "\(dir)/rl.json",
                                      "--resolution", "16", "--out", rl])
        #expect(train.status == 0, "\(train.output)")
        #expect(train.output.contains("iter 1: reward"))
        #expect(FileManager.default.fileExists(atPath: "\(dir)/rl-reward.png"))
        // Resumed to 3 iterations; keepCheckpoints 3 keeps step 1, which the default (2) would have pruned.
        let longer = try CLITests.run(["rl", "train", "--policy", sft, "--task", "pull-tissue", "--config", "\(dir)/rl.json",
                                       "--iterations", "3", "--resolution", "16", "--out", rl])
        #expect(longer.status == 0 && longer.output.contains("iter 3: reward"), "\(longer.output)")
        // The JSON names the policy by its absolute path and checkpoint, so `rl report --select-on` can pair seed bases.
        let evalRL = try CLITests.run(["sim", "eval", "--policy", "\(dir)/./rl.sqlite", "--task", "pull-tissue", "--episodes", "1",
                                       "--runs", "1", "--resolution", "16", "--step", "1", "--json", "\(dir)/eval-rl.json"])
        #expect(evalRL.status == 0, "\(evalRL.output)")
        let written = try String(contentsOfFile: "\(dir)/eval-rl.json", encoding: .utf8)
        #expect(written.contains(#""policy":"\#(URL(fileURLWithPath: rl).standardizedFileURL.path)","step":1"#), "\(written)")
        let integrated = try CLITests.run(["sim", "eval", "--policy", rl, "--task", "pull-tissue", "--episodes", "1", "--runs", "1",
                                           "--resolution", "16", "--integrated-state"])
        #expect(integrated.status == 0 && integrated.output.contains("pull-tissue: success"), "\(integrated.output)")
        #expect(written.contains(#""method":"flowScale""#), "\(written)")

        // The control arm: the same run with each group's rewards shuffled says so, and its results get their own column.
        try Data(#"{"groupSize": 2, "groupsPerIteration": 1, "outerSteps": 2, "iterations": 1, "minibatchRollouts": 2, "rewardControl": "shuffledInGroups"}"#.utf8)
            .write(to: URL(fileURLWithPath: "\(dir)/control.json"))
        let control = try CLITests.run(["rl", "train", "--policy", sft, "--task", "pull-tissue", "--config", "\(dir)/control.json",
                                        "--resolution", "16", "--out", "\(dir)/control.sqlite"])
        #expect(control.status == 0 && control.output.contains("reward control: each group's rewards are permuted"), "\(control.output)")
        let evalControl = try CLITests.run(["sim", "eval", "--policy", "\(dir)/control.sqlite", "--task", "pull-tissue", "--episodes", "1",
                                            "--runs", "1", "--resolution", "16", "--json", "\(dir)/eval-control.json"])
        #expect(evalControl.status == 0, "\(evalControl.output)")
        let controlJSON = try String(contentsOfFile: "\(dir)/eval-control.json", encoding: .utf8)
        #expect(controlJSON.contains(#""method":"shuffledReward""#), "\(controlJSON)")
        let report = try CLITests.run(["rl", "report", "--markdown", "\(dir)/eval-rl.json", "\(dir)/eval-control.json"])
        #expect(report.status == 0 && report.output.contains("control: shuffled reward"), "\(report.output)")

        // The imitation anchor: the SFT demos' flow-matching loss joins every update, logged per iteration.
        try Data(#"{"groupSize": 2, "groupsPerIteration": 2, "outerSteps": 2, "iterations": 2, "minibatchRollouts": 2, "anchorWeight": 0.5, "anchorBatch": 4}"#.utf8)
            .write(to: URL(fileURLWithPath: "\(dir)/anchored.json"))
        let anchored = try CLITests.run(["rl", "train", "--policy", sft, "--task", "pull-tissue", "--config", "\(dir)/anchored.json",
                                         "--resolution", "16", "--anchor-demos", demos, "--out", "\(dir)/anchored.sqlite"])
        #expect(anchored.status == 0 && anchored.output.contains("imitation anchor: weight 0.5, 4 of "), "\(anchored.output)")
        #expect(anchored.output.contains("anchor loss") || anchored.output.contains("zero-std groups 1.00"), "\(anchored.output)")
    }

    @Test func badConfigsFailNamingTheKey() throws {
        let dir = try SimCLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data(#"{"policy": {"hiddenWidth": 0}}"#.utf8).write(to: URL(fileURLWithPath: "\(dir)/bad.json"))
        let sft = try CLITests.run(["policy", "sft", "--data", "\(dir)/none.hdf5", "--config", "\(dir)/bad.json", "--out", "\(dir)/x.sqlite"])
        #expect(sft.status != 0 && sft.output.contains("hiddenWidth"), "\(sft.output)")
        try Data(#"{"objective": "ppo"}"#.utf8).write(to: URL(fileURLWithPath: "\(dir)/rl.json"))
        let rl = try CLITests.run(["rl", "train", "--policy", "\(dir)/none.sqlite", "--task", "pick-bottle", "--config",
                                   "\(dir)/rl.json", "--out", "\(dir)/rl.sqlite"])
        #expect(rl.status != 0 && rl.output.contains("objective"), "\(rl.output)")
        try Data(#"{"anchorWeight": 1}"#.utf8).write(to: URL(fileURLWithPath: "\(dir)/anchor.json"))
        let noDemos = try CLITests.run(["rl", "train", "--policy", "\(dir)/none.sqlite", "--task", "pick-bottle", "--config",
                                        "\(dir)/anchor.json", "--out", "\(dir)/rl.sqlite"])
        #expect(noDemos.status != 0 && noDemos.output.contains("--anchor-demos: required"), "\(noDemos.output)")
        let noWeight = try CLITests.run(["rl", "train", "--policy", "\(dir)/none.sqlite", "--task", "pick-bottle",
                                         "--anchor-demos", "\(dir)/none.hdf5", "--out", "\(dir)/rl.sqlite"])
        #expect(noWeight.status != 0 && noWeight.output.contains("needs anchorWeight > 0"), "\(noWeight.output)")
        let eval = try CLITests.run(["sim", "eval", "--policy", "\(dir)/none.sqlite", "--task", "pick-bottle", "--runs", "0"])
        #expect(eval.status != 0 && eval.output.contains("--runs"), "\(eval.output)")
    }
}
