import ArgumentParser
import Foundation
import ProphetDiT
import ProphRLCore
import TensorEngine

/// `prophrl world export-dit-data`: the DiT's training set of a trained run (its frozen autoencoder's latents of the
/// datasets, the actions and action-frame latents) as one safetensors file, for training the denoiser on another
/// machine with `scripts/prophet_dit_train.py`; `world import-dit` brings the weights back.
struct WorldExportDiTDataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-dit-data",
        abstract: "Write a run's DiT training set (latents, actions, action frames) to safetensors for an external trainer.")
    @Option(help: "The trained run whose autoencoder encodes the data (left unchanged).") var model: String
    @Option(parsing: .upToNextOption, help: "HDF5 datasets (the first one's clips first).") var data: [String]
    @Option(help: "The safetensors file to write.") var out: String
    @Option(help: "BLAS and kernel threads.") var threads: Int = 2

    func validate() throws {
        guard !data.isEmpty else { throw ValidationError("--data: expected at least one HDF5 file") }
        guard threads >= 1 else { throw ValidationError("--threads: expected ≥ 1, got \(threads)") }
    }

    func run() throws {
        try BLASRuntime.setThreads(threads)
        let (prophet, config) = try WorldSupport.loadModel(model)
        let started = Clock.now
        let datasets = try data.map { path in
            let dataset = try ProphetDataset(name: path, episodes: try WorldSupport.episodes(path), configuration: config.prophet)
            FileHandle.standardOutput.write(Data("\(path): \(dataset.episodeCount) episodes, \(dataset.chunkCount) chunks\n".utf8))
            return dataset
        }
        let tensors = try DiTTrainingSet.tensors(datasets, autoencoder: prophet.autoencoder) { index in
            // Unbuffered, so a log shows each dataset as it finishes.
            FileHandle.standardOutput.write(Data(String(format: "encoded %@ (%d/%d), %.1f s\n", datasets[index].name, index + 1,
                                                        datasets.count, Clock.now - started).utf8))
        }
        let names = String(decoding: try JSONEncoder().encode(data.map { ($0 as NSString).lastPathComponent }), as: UTF8.self)
        let prophetJSON = String(decoding: try JSONEncoder().encode(config.prophet), as: UTF8.self)
        let bytes = try Safetensors.encode(tensors, metadata: ["prophet": prophetJSON, "datasets": names, "model": model])
        try AtomicFile.write(bytes, to: out)
        let chunks = datasets.reduce(0) { $0 + $1.chunkCount }
        print(String(format: "wrote %@ (%@): %d clips, %d chunks; %.1f s", out, RunsFormat.bytes(bytes.count),
                     datasets.reduce(0) { $0 + $1.episodeCount }, chunks, Clock.now - started))
    }
}
