import ArgumentParser
import CheckpointSQLite
import Foundation
import ProphetDiT
import ProphRL
import ProphRLCore
import TensorEngine

/// `prophrl world sharpen`: trains the autoencoder's reference refiner of a trained run, everything else frozen, and
/// writes a new run. The latents do not change, so the run's DiT (and any judge or policy built on it) stays valid;
/// only decoded frames get the real first frame's detail where the scene did not move.
struct WorldSharpenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sharpen",
                                                    abstract: "Train a reference-frame refiner for a run's decoder (new run file).")
    @Option(help: "The trained run file (left unchanged).") var model: String
    @Option(parsing: .upToNextOption, help: "HDF5 datasets of the run's scenes.") var data: [String]
    @Option(help: "Output run file (must not exist).") var out: String
    @Option(help: "Refiner width (channels), for a run without a refiner.") var width: Int = 24
    @Option(help: "Start from the refiner of this run, whose autoencoder must be the same (e.g. ablations sharing one AE).")
    var refinerFrom: String?
    @Option(help: "Optimizer steps (0 with --refiner-from: copy the refiner as it is).") var steps: Int = 1000
    @Option(help: "5-frame clips per step.") var batch: Int = 4
    @Option(help: "AdamW learning rate.") var lr: Float = 1e-3
    @Option(help: "Seed of the data order.") var seed: UInt64 = 0
    @Option(help: "BLAS and kernel threads.") var threads: Int = 2

    func validate() throws {
        guard !data.isEmpty else { throw ValidationError("--data: expected at least one HDF5 file") }
        for (name, value) in [("--width", width), ("--batch", batch), ("--threads", threads)] where value < 1 {
            throw ValidationError("\(name): expected ≥ 1, got \(value)")
        }
        guard steps >= (refinerFrom == nil ? 1 : 0) else {
            throw ValidationError("--steps: expected ≥ \(refinerFrom == nil ? 1 : 0), got \(steps)")
        }
        guard lr > 0, lr.isFinite else { throw ValidationError("--lr: expected a positive number, got \(lr)") }
    }

    func run() throws {
        try BLASRuntime.setThreads(threads)
        guard !FileManager.default.fileExists(atPath: out) else { throw CLIError("--out: '\(out)' exists; choose a new file") }
        let donor = try refinerFrom.map { try Self.donorRefiner($0) }
        let (prophet, config) = try WorldSupport.loadModel(model, addingRefiner: donor?.width ?? width)
        if let donor { try Self.transplant(donor, into: prophet, width: config.prophet.referenceRefinerWidth) }
        // Frames only: the refiner never sees actions, so the datasets skip drawing action frames.
        var frameOnly = config.prophet
        frameOnly.actionFrames = false
        let datasets = try data.map { path in
            try ProphetDataset(name: path, episodes: try WorldSupport.episodes(path), configuration: frameOnly)
        }
        var options = ReferenceRefinerTrainer.Options()
        options.batch = batch
        options.learningRate = lr
        options.steps = max(steps, 1)
        let trainer = try ReferenceRefinerTrainer(model: prophet, datasets: datasets, options: options, seed: seed)
        let header = "sharpening \(model): refiner width \(config.prophet.referenceRefinerWidth ?? width), "
            + datasets.map { "\($0.name): \($0.episodeCount) episodes" }.joined(separator: "; ")
        FileHandle.standardOutput.write(Data((header + "\n").utf8))
        var bar = ProgressBar(total: steps, label: "refiner", style: isatty(1) != 0 ? .bar : .lines,
                              write: { FileHandle.standardOutput.write(Data($0.utf8)) })
        let started = Clock.now
        var losses: [Double] = []
        while losses.count < steps {
            let t0 = Clock.now
            let loss = Double(try trainer.trainingStep())
            losses.append(loss)
            bar.advance(detail: String(format: "loss %.4f  %.1f frames/s", loss, Double(batch * 5) / max(Clock.now - t0, 1e-9)))
        }
        bar.finish()
        let window = max(min(50, losses.count), 1)
        let first = losses.prefix(window).reduce(0, +) / Double(window), last = losses.suffix(window).reduce(0, +) / Double(window)
        let store = try SQLiteCheckpointStore(path: out, mode: .openOrCreate)
        try store.createRun(try RunRecord(kind: "world-sharpen", configJSON: config.json(), seed: seed,
                                          codeRevision: "prophrl \(ProphRLInfo.version)", blasThreads: BLASRuntime.threads,
                                          blasKernel: BLASRuntime.coreName, created: Clock.iso8601))
        let tensors = try prophet.parameters().map { try NamedTensor(name: "model." + $0.key, values: $0.value.scalars, shape: $0.value.shape) }
        try store.save(try Checkpoint(step: steps, wallTime: Clock.now - started,
                                      metrics: losses.isEmpty ? [:] : ["refiner_loss_first": first, "refiner_loss_last": last], tensors: tensors),
                       retention: try RetentionPolicy(keepLast: 1))
        if losses.isEmpty {
            print("refiner copied from \(refinerFrom ?? "") without training → \(out)")
        } else {
            print(String(format: "refiner loss (L1 + L2, mean of %d steps) %.4f → %.4f; %.1f s → %@", window, first, last,
                         Clock.now - started, out))
        }
    }

    /// The autoencoder parameters and refiner width of a sharpened run.
    static func donorRefiner(_ path: String) throws -> (parameters: [String: Tensor], width: Int) {
        let (source, sourceConfig) = try WorldSupport.loadModel(path)
        guard let width = sourceConfig.prophet.referenceRefinerWidth else { throw CLIError("--refiner-from: '\(path)' has no refiner") }
        return (source.autoencoder.parameters(), width)
    }

    /// Copies the donor's refiner into `prophet` after checking that both autoencoders are the same: the refiner reads
    /// decoder output, so it transfers only to the very same decoder (e.g. ablations trained with `--autoencoder-from`).
    static func transplant(_ donor: (parameters: [String: Tensor], width: Int), into prophet: ProphetModel, width: Int?) throws {
        guard width == donor.width else { throw CLIError("--refiner-from: refiner width \(donor.width), --model's is \(width ?? 0)") }
        let own = prophet.autoencoder.parameters()
        if let differing = own.keys.sorted().first(where: { !$0.hasPrefix("refiner.") && own[$0]?.scalars != donor.parameters[$0]?.scalars }) {
            throw CLIError("--refiner-from: its autoencoder differs from --model's (\(differing))")
        }
        try prophet.autoencoder.update(parameters: donor.parameters.filter { $0.key.hasPrefix("refiner.") })
    }
}
