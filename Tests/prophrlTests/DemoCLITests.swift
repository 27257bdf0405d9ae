import Foundation
import Testing

/// `prophrl demo --quick` end to end, the judge commands, `rl train --reward judge:` and `rl report`, through the binary.
@Suite("prophrl demo / judge / rl report")
struct DemoCLITests {
    @Test func quickDemoRunsEveryStageAndPrintsTheTable() throws {
        let dir = try SimCLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let demo = try CLITests.run(["demo", "--quick", "--out", dir])
        #expect(demo.status == 0, "\(demo.output)")
        #expect(demo.output.contains("RL environment: simulator (Bullet physics) with the oracle reward"))
        #expect(demo.output.contains("SFT") && demo.output.contains("+ FA-GRPO & FlowScale"))
        for file in ["demos.hdf5", "sft.sqlite", "rl.sqlite", "rl-reward.png", "eval-sft.json", "eval-rl.json", "table.md"] {
            #expect(FileManager.default.fileExists(atPath: "\(dir)/\(file)"), "missing \(file)")
        }
        let videos = try FileManager.default.contentsOfDirectory(atPath: "\(dir)/videos/rl")
        #expect(videos.contains { $0.hasSuffix(".mp4") }, "\(videos)")

        // The report command reads the same evaluation files.
        let report = try CLITests.run(["rl", "report", "--markdown", "\(dir)/eval-sft.json", "\(dir)/eval-rl.json"])
        #expect(report.status == 0 && report.output.contains("| task | SFT | + FA-GRPO & FlowScale |"), "\(report.output)")

        // Judge: train on the demos plus noisy-expert rollouts, evaluate, and use it as the RL reward.
        let noisy = "\(dir)/noisy.hdf5", judge = "\(dir)/judge.sqlite"
        let collect = try CLITests.run(["sim", "collect", "--task", "pick-bottle", "--episodes", "4", "--seed", "100",
                                        "--waypoint-noise", "0.05", "--out", noisy])
        #expect(collect.status == 0, "\(collect.output)")
        let train = try CLITests.run(["judge", "train", "--data", "\(dir)/demos.hdf5", "--data", noisy, "--steps", "20",
                                      "--out", judge])
        #expect(train.status == 0 && train.output.contains("held-out accuracy"), "\(train.output)")
        let eval = try CLITests.run(["judge", "eval", "--judge", judge, "--data", noisy])
        #expect(eval.status == 0 && eval.output.contains("on 4 episodes"), "\(eval.output)")
        // Policy rollouts saved by sim eval are judge data too.
        let rollouts = "\(dir)/policy-rollouts.hdf5"
        let saved = try CLITests.run(["sim", "eval", "--policy", "\(dir)/sft.sqlite", "--task", "pick-bottle", "--episodes", "2",
                                      "--runs", "1", "--seed-base", "30000000", "--rollouts-out", rollouts])
        #expect(saved.status == 0, "\(saved.output)")
        let judged = try CLITests.run(["judge", "eval", "--judge", judge, "--data", rollouts])
        #expect(judged.status == 0 && judged.output.contains("on 2 episodes"), "\(judged.output)")
        try Data(#"{"groupSize": 2, "groupsPerIteration": 1, "outerSteps": 2, "iterations": 1, "minibatchRollouts": 2}"#.utf8)
            .write(to: URL(fileURLWithPath: "\(dir)/rl.json"))
        let rl = try CLITests.run(["rl", "train", "--policy", "\(dir)/sft.sqlite", "--task", "pick-bottle", "--config", "\(dir)/rl.json",
                                   "--reward", "judge:\(judge)", "--out", "\(dir)/rl-judge.sqlite"])
        #expect(rl.status == 0 && rl.output.contains("reward: learned video judge"), "\(rl.output)")
    }

    @Test func badArgumentsAreNamed() throws {
        let dir = try SimCLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let reward = try CLITests.run(["rl", "train", "--policy", "x.sqlite", "--task", "pick-bottle", "--reward", "vlm", "--out", "\(dir)/r.sqlite"])
        #expect(reward.status != 0 && reward.output.contains("--reward"), "\(reward.output)")
        let world = try CLITests.run(["demo", "--quick", "--world", "prophet.sqlite", "--out", dir])
        #expect(world.status != 0 && world.output.contains("--world"), "\(world.output)")
        try Data(#"{"task": "pick-bottle", "method": "ppo", "rates": [0.5]}"#.utf8).write(to: URL(fileURLWithPath: "\(dir)/bad.json"))
        let report = try CLITests.run(["rl", "report", "\(dir)/bad.json"])
        #expect(report.status != 0 && report.output.contains("method"), "\(report.output)")
        // Results of the two state protocols are never mixed in one table (files without the key are "measured").
        try Data(#"{"task": "pick-bottle", "method": "sft", "rates": [0.5]}"#.utf8).write(to: URL(fileURLWithPath: "\(dir)/old.json"))
        try Data(#"{"task": "pick-bottle", "method": "flowScale", "stateInput": "integrated", "rates": [0.6]}"#.utf8)
            .write(to: URL(fileURLWithPath: "\(dir)/int.json"))
        let mixed = try CLITests.run(["rl", "report", "\(dir)/old.json", "\(dir)/int.json"])
        #expect(mixed.status != 0 && mixed.output.contains("report each protocol separately"), "\(mixed.output)")
        let judge = try CLITests.run(["judge", "train", "--data", "\(dir)/none.hdf5", "--held-out", "1.5", "--out", "\(dir)/j.sqlite"])
        #expect(judge.status != 0 && judge.output.contains("--held-out"), "\(judge.output)")
        // Selection needs the seed base, which old files lack.
        let unselectable = try CLITests.run(["rl", "report", "--select-on", "60000000", "\(dir)/int.json"])
        #expect(unselectable.status != 0 && unselectable.output.contains("seedBase"), "\(unselectable.output)")
    }

    @Test func reportChoosesOnValidationSeedsAndTabulatesTheOthers() throws {
        let dir = try SimCLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Two RL seeds: s2 is better on validation (60,000,000) and worse on evaluation (50,000,000).
        let files = [("s1", 60_000_000, "0.30, 0.34"), ("s2", 60_000_000, "0.40, 0.44"), ("s1", 50_000_000, "0.70, 0.74"), ("s2", 50_000_000, "0.20, 0.24")]
        var paths: [String] = []
        for (policy, base, rates) in files {
            let path = "\(dir)/\(policy)-\(base).json"
            try Data(#"{"task": "pick-bottle", "method": "flowScale", "policy": "\#(policy).sqlite", "seedBase": \#(base), "stateInput": "integrated", "rates": [\#(rates)]}"#.utf8)
                .write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        let chosen = try CLITests.run(["rl", "report", "--markdown", "--select-on", "60000000"] + paths)
        #expect(chosen.status == 0 && chosen.output.contains("*s2.sqlite 42.0") && chosen.output.contains("| pick-bottle | 22.0 ± 2.8 |"),
                "\(chosen.output)")
        let spread = try CLITests.run(["rl", "report", "--markdown", "--across-policies", paths[2], paths[3]])
        #expect(spread.status == 0 && spread.output.contains("| pick-bottle | 47.0 ± 35.4 |"), "\(spread.output)")
        // Both flags: each run chooses among its own checkpoints on validation, then one sample per run.
        var stepped: [String] = []
        for (policy, step, base, rate) in [("s1", 4, 60_000_000, "0.5"), ("s1", 8, 60_000_000, "0.3"), ("s1", 4, 50_000_000, "0.6"),
                                           ("s1", 8, 50_000_000, "0.9"), ("s2", 8, 60_000_000, "0.4"), ("s2", 8, 50_000_000, "0.2")] {
            let path = "\(dir)/\(policy)-\(step)-\(base).json"
            try Data(#"{"task": "pick-bottle", "method": "faGRPO", "policy": "\#(policy).sqlite", "step": \#(step), "seedBase": \#(base), "stateInput": "integrated", "rates": [\#(rate)]}"#.utf8)
                .write(to: URL(fileURLWithPath: path))
            stepped.append(path)
        }
        let perRun = try CLITests.run(["rl", "report", "--markdown", "--select-on", "60000000", "--across-policies"] + stepped)
        #expect(perRun.status == 0 && perRun.output.contains("best per run file") && perRun.output.contains("*s1.sqlite@4 50.0")
                && perRun.output.contains("| pick-bottle | 40.0 ± 28.3 |"), "\(perRun.output)")
        let curves = try CLITests.run(["rl", "report", "--plot-steps", "\(dir)/steps.png", "--plot-seed-base", "60000000"] + stepped)
        #expect(curves.status == 0 && curves.output.contains("steps.png (2 runs)"), "\(curves.output)")
        #expect(FileManager.default.fileExists(atPath: "\(dir)/steps.png"))
        let noBase = try CLITests.run(["rl", "report", "--plot-steps", "\(dir)/x.png"] + stepped)
        #expect(noBase.status != 0 && noBase.output.contains("--plot-steps: give --plot-seed-base"), "\(noBase.output)")
    }
}
