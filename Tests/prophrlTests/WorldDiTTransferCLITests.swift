import Foundation
import ProphRLCore
import Testing

/// The way out to an external DiT trainer and back: `world export-dit-data`, then `world import-dit` of weights in
/// the trainer's format (`denoiser.*` tensors, configuration in the metadata).
@Suite("prophrl world export-dit-data / import-dit")
struct WorldDiTTransferCLITests {
    /// The `denoiser.*` tensors of a run's `runs export`, with `prophet` (and `steps`) metadata, as the trainer writes them.
    static func denoiserFile(from export: String, prophet: String, to path: String, widen: Bool = false) throws {
        let contents = try Safetensors.decode(Array(try Data(contentsOf: URL(fileURLWithPath: export))), file: export)
        let tensors = try contents.tensors.filter { $0.name.hasPrefix("model.denoiser.") }.map {
            try NamedTensor(name: String($0.name.dropFirst(6)), dtype: $0.dtype, shape: $0.shape, bytes: $0.bytes)
        }
        var configuration = prophet
        if widen { configuration = configuration.replacingOccurrences(of: "\"modelWidth\":48", with: "\"modelWidth\":64") }
        let bytes = try Safetensors.encode(tensors, metadata: ["prophet": configuration, "steps": "7", "val_loss": "0.5"])
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    @Test("export the training set; import the run's own DiT back: the same rollouts; mismatches are refused")
    func roundTrip() throws {
        let dir = try SimCLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let data = "\(dir)/demos.hdf5", run = "\(dir)/run.sqlite"
        let collect = try CLITests.run(["sim", "collect", "--task", "pick-bottle", "--episodes", "2", "--out", data])
        #expect(collect.status == 0, "\(collect.output)")
        let train = try CLITests.run(["world", "train", "--data", data, "--out", run, "--config", "tiny", "--chunk-frames", "4",
                                      "--ae-steps", "1", "--ae-batch", "1", "--dit-steps", "2", "--batch", "2", "--threads", "1"])
        #expect(train.status == 0, "\(train.output)")
        let exported = "\(dir)/dit-data.safetensors"
        let export = try CLITests.run(["world", "export-dit-data", "--model", run, "--data", data, "--out", exported, "--threads", "1"])
        #expect(export.status == 0 && export.output.contains("2 clips"), "\(export.output)")
        let dataFile = try Safetensors.decode(Array(try Data(contentsOf: URL(fileURLWithPath: exported))), file: exported)
        let names = Set(dataFile.tensors.map(\.name))
        #expect(names.isSuperset(of: ["group_latents", "single_latents", "actions", "clip_latent_offset", "clip_frames", "clip_dataset"]))
        let prophet = try #require(dataFile.metadata["prophet"])
        #expect(prophet.contains("\"chunkFrames\":4") && dataFile.metadata["datasets"] == "[\"demos.hdf5\"]")

        let weights = "\(dir)/weights.safetensors", denoiser = "\(dir)/denoiser.safetensors", imported = "\(dir)/imported.sqlite"
        let runsExport = try CLITests.run(["runs", "export", run, "--out", weights])
        #expect(runsExport.status == 0, "\(runsExport.output)")
        try Self.denoiserFile(from: weights, prophet: prophet, to: denoiser)
        let load = try CLITests.run(["world", "import-dit", "--model", run, "--weights", denoiser, "--out", imported])
        #expect(load.status == 0 && load.output.contains("imported"), "\(load.output)")
        // The same weights give the same rollout numbers.
        var reports: [[Double]] = []
        for (model, json) in [(run, "\(dir)/a.json"), (imported, "\(dir)/b.json")] {
            let eval = try CLITests.run(["world", "eval", "--model", model, "--data", data, "--chunks", "1", "--episodes", "1",
                                         "--steps", "2", "--threads", "1", "--no-flow", "--json", json])
            #expect(eval.status == 0, "\(eval.output)")
            let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any]
            let prophet = try #require(report?["prophet"] as? [String: Any])
            reports.append(try ["psnr", "ssim"].map { try #require(prophet[$0] as? Double) })
        }
        #expect(reports.count == 2 && reports[0] == reports[1], "\(reports)")

        let again = try CLITests.run(["world", "import-dit", "--model", run, "--weights", denoiser, "--out", imported])
        #expect(again.status != 0 && again.output.contains("--out"), "\(again.output)")
        let wide = "\(dir)/wide.safetensors"
        try Self.denoiserFile(from: weights, prophet: prophet, to: wide, widen: true)
        let wrongShape = try CLITests.run(["world", "import-dit", "--model", run, "--weights", wide, "--out", "\(dir)/w.sqlite"])
        #expect(wrongShape.status != 0 && !FileManager.default.fileExists(atPath: "\(dir)/w.sqlite"), "\(wrongShape.output)")
        let noMeta = "\(dir)/nometa.safetensors"
        try Data(try Safetensors.encode([NamedTensor(name: "denoiser.x", values: [Float(1)], shape: [1])])).write(to: URL(fileURLWithPath: noMeta))
        let missing = try CLITests.run(["world", "import-dit", "--model", run, "--weights", noMeta, "--out", "\(dir)/m.sqlite"])
        #expect(missing.status != 0 && missing.output.contains("'prophet'"), "\(missing.output)")
        let otherData = try Self.denoiserFileWithChunk(prophet: prophet, from: weights, dir: dir)
        let mismatch = try CLITests.run(["world", "import-dit", "--model", run, "--weights", otherData, "--out", "\(dir)/c.sqlite"])
        #expect(mismatch.status != 0 && mismatch.output.contains("beyond modelWidth"), "\(mismatch.output)")
    }

    /// A weights file whose configuration claims another chunk length (an AE-side field the import must refuse).
    static func denoiserFileWithChunk(prophet: String, from weights: String, dir: String) throws -> String {
        let path = "\(dir)/chunk8.safetensors"
        try denoiserFile(from: weights, prophet: prophet.replacingOccurrences(of: "\"chunkFrames\":4", with: "\"chunkFrames\":8"), to: path)
        return path
    }
}
