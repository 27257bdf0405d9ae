import ArgumentParser
import CheckpointSQLite
import Foundation
import HDF5Episodes
import ProphetDiT
import ProphRLCore
import TensorEngine

/// `prophrl world`: train, fine-tune, roll out and evaluate the Prophet world model.
struct WorldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "world",
        abstract: "Prophet world model: train (AE + DiT), LoRA fine-tune, roll out, evaluate.",
        subcommands: [WorldTrainCommand.self, WorldFinetuneCommand.self, WorldSharpenCommand.self, WorldRolloutCommand.self,
                      WorldEvalCommand.self, WorldViewCommand.self, WorldExportDiTDataCommand.self, WorldImportDiTCommand.self]
    )
}

/// What a world-model run stores in its run record's config: the model configuration and the LoRA rank, if any.
struct WorldRunConfig: Codable {
    var prophet: ProphetConfiguration
    var loraRank: Int?
    var datasets: [String]

    func json() throws -> String { String(decoding: try JSONEncoder().encode(self), as: UTF8.self) }
    static func parse(_ json: String) throws -> WorldRunConfig {
        do { return try JSONDecoder().decode(WorldRunConfig.self, from: Data(json.utf8)) } catch {
            throw CLIError("run config: not a world-model run (\(error))")
        }
    }
}

/// Conversions between the trainer/model tensors and checkpoints, and dataset loading (composition-root glue).
enum WorldSupport {
    static func configuration(named name: String) throws -> ProphetConfiguration {
        switch name {
        case "a", "A", "default": return .defaultA
        case "small":
            return ProphetConfiguration(encoderWidths: [16, 32, 32], modelWidth: 96, depth: 4, heads: 2, adaLNRank: 32)
        case "tiny": return ProphetConfiguration(width: 64, height: 64, encoderWidths: [8, 16, 16], modelWidth: 48, depth: 2,
                                                 heads: 2, adaLNRank: 8)
        default: throw CLIError("--config: expected a, small or tiny, got '\(name)'")
        }
    }

    /// The frame rate shared by the datasets' videos.
    static func framesPerSecond(_ paths: [String]) throws -> Double {
        var rates: Set<Double> = []
        for path in paths {
            if let first = try episodes(path, limit: 1).first { rates.insert(first.video.framesPerSecond) }
        }
        guard rates.count <= 1 else { throw CLIError("--data: datasets differ in frame rate (\(rates.sorted()) fps)") }
        return rates.first ?? ProphetConfiguration.defaultA.framesPerSecond
    }

    static func episodes(_ path: String, limit: Int? = nil) throws -> [Episode] {
        guard FileManager.default.fileExists(atPath: path) else { throw CLIError("--data: no such file '\(path)'") }
        let store = HDF5EpisodeStore(path: path)
        return try runBlocking {
            var all: [Episode] = []
            for summary in try await store.list(task: nil).prefix(limit ?? .max) { all.append(try await store.load(id: summary.id)) }
            return all
        }
    }

    /// Action-frame rendering for a dataset: the camera recorded with its first episode (the simulator's default
    /// camera at the video size when the file has none) and the recorded actions' semantics (`sim collect` records
    /// `.absoluteDifference`, docs/simulator.md).
    static func actionFrameRendering(_ path: String) throws -> ProphetActionFrames {
        guard FileManager.default.fileExists(atPath: path) else { throw CLIError("--data: no such file '\(path)'") }
        let store = HDF5EpisodeStore(path: path)
        let (episode, camera) = try runBlocking { () async throws -> (Episode, PinholeCamera?) in
            guard let first = try await store.list(task: nil).first else { throw CLIError("--data: '\(path)' has no episode") }
            let episode = try await store.load(id: first.id)
            return (episode, try await store.recordedCamera(id: first.id, width: episode.video.width, height: episode.video.height))
        }
        let chosen = try camera ?? ActionFramesCommand.simulatorCamera(width: episode.video.width, height: episode.video.height)
        return ProphetActionFrames(camera: chosen, semantics: .absoluteDifference)
    }

    static func checkpoint(_ trainer: ProphetTrainer, wallTime: Double, metrics: [String: Double]) throws -> Checkpoint {
        let state = try trainer.stateTensors()
        let tensors = try state.filter { !$0.key.hasPrefix("aeopt.") && !$0.key.hasPrefix("ditopt.") }
            .map { try NamedTensor(name: $0.key, values: $0.value.scalars, shape: $0.value.shape) }
        let optimizer = try state.filter { $0.key.hasPrefix("aeopt.") || $0.key.hasPrefix("ditopt.") }
            .map { try NamedTensor(name: $0.key, values: $0.value.scalars, shape: $0.value.shape) }
        return try Checkpoint(step: trainer.autoencoderStep + trainer.ditStep, wallTime: wallTime, metrics: metrics,
                              tensors: tensors, optimizerState: optimizer, rngStates: ["trainer": trainer.rng.state])
    }

    static func tensors(_ named: [NamedTensor]) throws -> [String: Tensor] {
        Dictionary(uniqueKeysWithValues: try named.map { ($0.name, try Tensor($0.floats(), shape: $0.shape)) })
    }

    /// The model of the latest checkpoint of a run file (LoRA adapters enabled when the run has them). With
    /// `addingRefiner`, a run without a reference refiner gets a fresh one of that width (zero output: it decodes
    /// as before until `world sharpen` trains it); the returned config says so.
    static func loadModel(_ path: String, addingRefiner refinerWidth: Int? = nil) throws -> (ProphetModel, WorldRunConfig) {
        guard FileManager.default.fileExists(atPath: path) else { throw CLIError("--model: no such file '\(path)'") }
        let store = try SQLiteCheckpointStore(path: path, mode: .readOnly)
        var config = try WorldRunConfig.parse(try store.runRecord().configJSON)
        guard let latest = try store.latest() else { throw CLIError("--model: '\(path)' has no checkpoint yet") }
        let adding = refinerWidth != nil && config.prophet.referenceRefinerWidth == nil
        if adding { config.prophet.referenceRefinerWidth = refinerWidth }
        let model = try ProphetModel(configuration: config.prophet, seed: 0)
        if let rank = config.loraRank {
            var rng = SeededGenerator(seed: 0)
            try model.denoiser.enableLoRA(rank: rank, rng: &rng)
        }
        let state = try tensors(latest.tensors)
        try model.load(parameters: Dictionary(uniqueKeysWithValues: state.filter { $0.key.hasPrefix("model.") }
            .map { (String($0.key.dropFirst(6)), $0.value) }), allowingMissingRefiner: adding)
        return (model, config)
    }

    static func parseSampler(steps: Int, rule: String) throws -> KarrasSampler {
        guard let parsed = KarrasSampler.Rule(rawValue: rule) else {
            throw CLIError("--sampler: expected multistep or euler, got '\(rule)'")
        }
        guard steps >= 1 else { throw CLIError("--steps: expected ≥ 1, got \(steps)") }
        return try KarrasSampler(steps: steps, rule: parsed)
    }
}

