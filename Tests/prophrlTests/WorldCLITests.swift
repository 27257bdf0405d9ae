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
        // sharpen: a new run with a trained refiner; the source run is left alone and an existing --out is refused.
        let sharp = "\(dir)/sharp.sqlite"
        let sharpenArguments = ["world", "sharpen", "--model", run, "--data", data, "--out", sharp, "--steps", "3", "--batch", "1",
                                "--width", "4", "--threads", "1"]
        let sharpen = try CLITests.run(sharpenArguments)
        #expect(sharpen.status == 0 && sharpen.output.contains("refiner loss"), "\(sharpen.output)")
        let again = try CLITests.run(sharpenArguments)
        #expect(again.status != 0 && again.output.contains("--out"), "\(again.output)")
        let sharpJSON = "\(dir)/eval-sharp.json"
        let sharpEval = try CLITests.run(["world", "eval", "--model", sharp, "--data", data, "--chunks", "1", "--episodes", "1",
                                          "--steps", "2", "--threads", "1", "--no-flow", "--json", sharpJSON])
        #expect(sharpEval.status == 0, "\(sharpEval.output)")
        let sharpReport = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sharpJSON))) as? [String: Any])
        #expect(sharpReport["reference_refiner_width"] as? Int == 4 && report["reference_refiner_width"] as? Int == 0)
        // --refiner-from copies a refiner to a run with the very same autoencoder (same rollouts), and refuses another AE.
        let copied = "\(dir)/copied.sqlite", copiedJSON = "\(dir)/eval-copied.json"
        let copy = try CLITests.run(["world", "sharpen", "--model", run, "--refiner-from", sharp, "--steps", "0", "--data", data,
                                     "--out", copied, "--threads", "1"])
        #expect(copy.status == 0 && copy.output.contains("without training"), "\(copy.output)")
        let copiedEval = try CLITests.run(["world", "eval", "--model", copied, "--data", data, "--chunks", "1", "--episodes", "1",
                                           "--steps", "2", "--threads", "1", "--no-flow", "--json", copiedJSON])
        #expect(copiedEval.status == 0, "\(copiedEval.output)")
        let copiedReport = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: copiedJSON))) as? [String: Any])
        #expect((copiedReport["prophet"] as? [String: Any])?["psnr"] as? Double == (sharpReport["prophet"] as? [String: Any])?["psnr"] as? Double)
        let other = "\(dir)/other.sqlite"
        let otherTrain = try CLITests.run(["world", "train", "--data", data, "--out", other, "--config", "tiny", "--ae-steps", "1",
                                           "--ae-batch", "1", "--batch", "1", "--dit-steps", "1", "--seed", "9", "--threads", "1"])
        #expect(otherTrain.status == 0, "\(otherTrain.output)")
        let mismatch = try CLITests.run(["world", "sharpen", "--model", other, "--refiner-from", sharp, "--steps", "0", "--data", data,
                                         "--out", "\(dir)/bad.sqlite", "--threads", "1"])
        #expect(mismatch.status != 0 && mismatch.output.contains("autoencoder differs"), "\(mismatch.output)")
        let missing = try CLITests.run(["world", "eval", "--model", "\(dir)/none.sqlite", "--data", data])
        #expect(missing.status != 0 && missing.output.contains("--model"))
        let badConfig = try CLITests.run(["world", "train", "--data", data, "--out", "\(dir)/x.sqlite", "--config", "huge"])
        #expect(badConfig.status != 0 && badConfig.output.contains("--config"))
        let badFactor = try CLITests.run(["world", "train", "--data", data, "--out", "\(dir)/y.sqlite", "--config", "tiny",
                                          "--latent-downsampling", "2"])
        #expect(badFactor.status != 0 && badFactor.output.contains("--latent-downsampling: expected 4 or 8"), "\(badFactor.output)")
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/y.sqlite"))
    }
}
