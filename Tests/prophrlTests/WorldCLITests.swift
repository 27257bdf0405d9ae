import Foundation
import Testing

@Suite("prophrl world")
struct WorldCLITests {
    @Test("train (tiny) → resume → eval JSON → rollout MP4 on a simulator dataset; bad input fails with a message")
    func trainEvalRollout() throws {
        let dir = try SimCLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let data = "\(dir)/demos.hdf5", run = "\(dir)/run.sqlite"
        let collect = try CLITests.run(["sim", "collect", "--task", "place-cube", "--episodes", "1", "--seed", "3",
                                        "--resolution", "64", "--control-rate", "30", "--out", data])
        #expect(collect.status == 0, "\(collect.output)")
        let common = ["--data", data, "--out", run, "--config", "tiny", "--ae-steps", "2", "--ae-batch", "1", "--batch", "2",
                      "--threads", "1"]
        let train = try CLITests.run(["world", "train"] + common + ["--dit-steps", "2"])
        #expect(train.status == 0, "\(train.output)")
        #expect(train.output.contains("done in"))
        let resume = try CLITests.run(["world", "train"] + common + ["--dit-steps", "3"])
        #expect(resume.status == 0 && resume.output.contains("resuming"), "\(resume.output)")
        let json = "\(dir)/eval.json"
        let eval = try CLITests.run(["world", "eval", "--model", run, "--data", data, "--chunks", "1", "--episodes", "1",
                                     "--steps", "2", "--threads", "1", "--json", json])
        #expect(eval.status == 0, "\(eval.output)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        let prophet = try #require(report["prophet"] as? [String: Any])
        #expect(prophet["psnr"] is Double && prophet["flow_epe"] is Double && report["copy_first_frame"] != nil)
        let rollout = try CLITests.run(["world", "rollout", "--model", run, "--data", data, "--chunks", "1", "--steps", "2",
                                        "--threads", "1", "--out", "\(dir)/rollout.mp4"])
        #expect(rollout.status == 0, "\(rollout.output)")
        #expect(FileManager.default.fileExists(atPath: "\(dir)/rollout.mp4"))
        let missing = try CLITests.run(["world", "eval", "--model", "\(dir)/none.sqlite", "--data", data])
        #expect(missing.status != 0 && missing.output.contains("--model"))
        let badConfig = try CLITests.run(["world", "train", "--data", data, "--out", "\(dir)/x.sqlite", "--config", "huge"])
        #expect(badConfig.status != 0 && badConfig.output.contains("--config"))
    }
}
