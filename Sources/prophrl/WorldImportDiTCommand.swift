import ArgumentParser
import CheckpointSQLite
import Foundation
import ProphetDiT
import ProphRL
import ProphRLCore
import TensorEngine

/// `prophrl world import-dit`: a new world-model run made of a trained run's autoencoder (and refiner) and a
/// denoiser trained elsewhere (`scripts/prophet_dit_train.py`), whose safetensors carries `denoiser.*` tensors and
/// its configuration in the metadata. The denoiser may differ in width, depth, heads and adaLN rank; everything the
/// autoencoder and the data fix must match the run.
struct WorldImportDiTCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-dit",
        abstract: "Combine a run's autoencoder with externally trained DiT weights (safetensors) into a new run file.")
    @Option(help: "The trained run that gives the autoencoder (left unchanged).") var model: String
    @Option(help: "Safetensors with the denoiser.* weights and metadata 'prophet' (the configuration).") var weights: String
    @Option(help: "Output run file (must not exist).") var out: String

    /// The denoiser-only fields an imported DiT may change.
    static func merged(run: ProphetConfiguration, imported: ProphetConfiguration) throws -> ProphetConfiguration {
        var merged = run
        merged.modelWidth = imported.modelWidth
        merged.depth = imported.depth
        merged.heads = imported.heads
        merged.adaLNRank = imported.adaLNRank
        var comparable = imported
        comparable.referenceRefinerWidth = run.referenceRefinerWidth
        guard comparable == merged else {
            throw CLIError("--weights: its configuration differs from --model's beyond modelWidth, depth, heads and adaLNRank")
        }
        try merged.validate()
        return merged
    }

    func run() throws {
        guard !FileManager.default.fileExists(atPath: out) else { throw CLIError("--out: '\(out)' exists; choose a new file") }
        guard FileManager.default.fileExists(atPath: weights) else { throw CLIError("--weights: no such file '\(weights)'") }
        let (base, baseConfig) = try WorldSupport.loadModel(model)
        guard baseConfig.loraRank == nil else { throw CLIError("--model: a LoRA run; import into its base run instead") }
        let contents = try Safetensors.decode(try AtomicFile.read(weights), file: weights)
        guard let json = contents.metadata["prophet"] else { throw CLIError("--weights: no 'prophet' configuration in its metadata") }
        let imported: ProphetConfiguration
        do { imported = try JSONDecoder().decode(ProphetConfiguration.self, from: Data(json.utf8)) } catch {
            throw CLIError("--weights: metadata 'prophet' is not a Prophet configuration (\(error))")
        }
        let configuration = try Self.merged(run: baseConfig.prophet, imported: imported)
        var parameters: [String: Tensor] = [:]
        for (key, value) in base.autoencoder.parameters() { parameters["autoencoder." + key] = value }
        for tensor in contents.tensors {
            guard tensor.name.hasPrefix("denoiser.") else { throw CLIError("--weights: unexpected tensor '\(tensor.name)'") }
            guard tensor.dtype == .f32 else { throw CLIError("--weights: '\(tensor.name)' is \(tensor.dtype.rawValue), expected f32") }
            parameters[tensor.name] = try Tensor(tensor.floats(), shape: tensor.shape)
        }
        let prophet = try ProphetModel(configuration: configuration, seed: 0)
        try prophet.load(parameters: parameters)
        let steps = Int(contents.metadata["steps"] ?? "") ?? 0
        var metrics: [String: Double] = [:]
        for key in ["final_train_loss", "val_loss"] { if let value = Double(contents.metadata[key] ?? "") { metrics[key] = value } }
        let config = WorldRunConfig(prophet: configuration, loraRank: nil, datasets: baseConfig.datasets)
        let tensors = try prophet.parameters().map { try NamedTensor(name: "model." + $0.key, values: $0.value.scalars, shape: $0.value.shape) }
        let store = try SQLiteCheckpointStore(path: out, mode: .openOrCreate)
        try store.createRun(try RunRecord(kind: "world-import", configJSON: config.json(), seed: 0,
                                          codeRevision: "prophrl \(ProphRLInfo.version)", blasThreads: BLASRuntime.threads,
                                          blasKernel: BLASRuntime.coreName, created: Clock.iso8601))
        try store.save(try Checkpoint(step: steps, wallTime: 0, metrics: metrics, tensors: tensors), retention: try RetentionPolicy(keepLast: 1))
        print("imported \(contents.tensors.count) denoiser tensors (D \(configuration.modelWidth), depth \(configuration.depth)) "
              + "with \(model)'s autoencoder → \(out)")
    }
}
