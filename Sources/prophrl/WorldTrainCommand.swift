import ArgumentParser
import CheckpointSQLite
import Foundation
import ProphetDiT
import ProphRL
import ProphRLCore
import TensorEngine

/// Options shared by `world train` and `world finetune`.
struct WorldTrainingOptions: ParsableArguments {
    @Option(parsing: .upToNextOption, help: "HDF5 datasets (one minibatch = one dataset).") var data: [String]
    @Option(help: "Output run file (SQLite); an existing run is resumed.") var out: String
    @Option(help: "DiT steps.") var ditSteps: Int = 400
    @Option(help: "Chunks per DiT step.") var batch: Int = 8
    @Option(help: "DiT peak learning rate.") var lr: Float = 2e-4
    @Option(help: "Linear warmup steps.") var warmup: Int = 100
    @Option(help: "Checkpoint every N steps.") var checkpointEvery: Int = 50
    @Option(help: "Seed of initialisation, data order and noise.") var seed: UInt64 = 0
    @Option(help: "BLAS and kernel threads.") var threads: Int = 2

    func validate() throws {
        guard !data.isEmpty else { throw ValidationError("--data: expected at least one HDF5 file") }
        for (name, value) in [("--dit-steps", ditSteps), ("--batch", batch), ("--checkpoint-every", checkpointEvery), ("--threads", threads)]
        where value < (name == "--dit-steps" ? 0 : 1) {
            throw ValidationError("\(name): expected ≥ 1, got \(value)")
        }
        guard lr > 0, lr.isFinite else { throw ValidationError("--lr: expected a positive number, got \(lr)") }
    }
}

/// `prophrl world train`: autoencoder, latent cache, then DiT; checkpoints through the SQLite store; resumable.
struct WorldTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "train",
                                                    abstract: "Train Prophet (AE, latent cache, DiT) on HDF5 datasets.")
    @OptionGroup var training: WorldTrainingOptions
    @Option(help: "Model size: a (default, 64×64, D 192), small (D 96) or tiny (D 48).") var config: String = "a"
    @Option(help: "Autoencoder steps.") var aeSteps: Int = 300
    @Option(help: "5-frame clips per autoencoder step.") var aeBatch: Int = 4
    @Flag(help: "Ablation: no action conditioning.") var noActions = false
    @Flag(help: "Ablation: no history memory.") var noMemory = false
    @Flag(help: "Ablation: memory keys without RoPE (runs saved before memory RoPE existed load this way).")
    var noMemoryRope = false
    @Flag(help: "Conditioning path 2: draw each chunk as action frames (the data's recorded camera) and feed their latents.")
    var actionFrames = false
    @Option(help: "Reuse the trained autoencoder (weights, widths and latent statistics) of this run; skips the AE phase.")
    var autoencoderFrom: String?
    @Option(help: "New frames per chunk (a multiple of 4; 20 by default). Match the policy's chunk for RL inside Prophet.")
    var chunkFrames: Int?
    @Option(help: "Pixels per latent cell: 8 (default; an 8×8 latent at 64×64) or 4 (16×16, for small objects; 4× the DiT's tokens).")
    var latentDownsampling: Int?

    /// The configuration named by `--config`, with `--chunk-frames`, `--latent-downsampling` and the data's frame rate applied.
    func prophetConfiguration() throws -> ProphetConfiguration {
        var prophet = try WorldSupport.configuration(named: config)
        if let chunkFrames { prophet.chunkFrames = chunkFrames }
        if let latentDownsampling, latentDownsampling != 4 && latentDownsampling != 8 {
            throw CLIError("--latent-downsampling: expected 4 or 8, got \(latentDownsampling)")
        }
        prophet.latentDownsampling = latentDownsampling
        prophet.framesPerSecond = try WorldSupport.framesPerSecond(training.data)
        do { try prophet.validate() } catch { throw CLIError("--chunk-frames: \(error)") }
        return prophet
    }

    func run() throws {
        try BLASRuntime.setThreads(training.threads)
        var prophet = try prophetConfiguration()
        prophet.actionConditioning = !noActions
        prophet.historyMemory = !noMemory
        prophet.memoryRoPE = !noMemoryRope
        if actionFrames {
            prophet.actionFrames = true
            prophet.actionFrameRendering = try WorldSupport.actionFrameRendering(training.data[0])
        }
        var options = ProphetTrainer.Options()
        options.autoencoderSteps = aeSteps
        options.autoencoderBatch = aeBatch
        var autoencoder: [String: Tensor]?
        if let autoencoderFrom {
            let (source, sourceConfig) = try WorldSupport.loadModel(autoencoderFrom)
            // The reused autoencoder brings its own widths and channels; only the frame size must agree.
            guard sourceConfig.prophet.width == prophet.width, sourceConfig.prophet.height == prophet.height else {
                throw CLIError("--autoencoder-from: its autoencoder works at \(sourceConfig.prophet.width)x\(sourceConfig.prophet.height), "
                               + "--config \(config) at \(prophet.width)x\(prophet.height)")
            }
            prophet.encoderWidths = sourceConfig.prophet.encoderWidths
            prophet.latentChannels = sourceConfig.prophet.latentChannels
            prophet.latentDownsampling = sourceConfig.prophet.latentDownsampling
            autoencoder = source.autoencoder.parameters()
            options.autoencoderSteps = 0
        }
        try WorldTraining.run(training, prophet: prophet, options: options, loraRank: nil, from: nil, autoencoder: autoencoder)
    }
}

/// `prophrl world finetune`: LoRA (rank r) adaptation of a trained run to a new dataset, the base frozen.
struct WorldFinetuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "finetune", abstract: "LoRA fine-tuning of a trained Prophet run.")
    @OptionGroup var training: WorldTrainingOptions
    @Option(help: "The pretrained run file.") var from: String
    @Option(help: "LoRA rank.") var lora: Int = 16

    func run() throws {
        try BLASRuntime.setThreads(training.threads)
        guard lora >= 1 else { throw CLIError("--lora: expected ≥ 1, got \(lora)") }
        let (_, base) = try WorldSupport.loadModel(from)
        var options = ProphetTrainer.Options()
        options.autoencoderSteps = 0
        options.computeActionStatistics = false
        try WorldTraining.run(training, prophet: base.prophet, options: options, loraRank: lora, from: from)
    }
}

/// The shared training loop.
enum WorldTraining {
    static func run(_ training: WorldTrainingOptions, prophet: ProphetConfiguration, options baseOptions: ProphetTrainer.Options,
                    loraRank: Int?, from: String?, autoencoder: [String: Tensor]? = nil) throws {
        var options = baseOptions
        options.ditSteps = training.ditSteps
        options.ditBatch = training.batch
        options.learningRate = training.lr
        options.warmupSteps = training.warmup
        let datasets = try training.data.map { path in
            try ProphetDataset(name: path, episodes: try WorldSupport.episodes(path), configuration: prophet)
        }
        let model: ProphetModel
        if let from {
            model = try WorldSupport.loadModel(from).0
            var rng = SeededGenerator(seed: training.seed)
            try model.denoiser.enableLoRA(rank: loraRank ?? 16, rng: &rng)
            model.autoencoder.freeze()
        } else {
            model = try ProphetModel(configuration: prophet, seed: training.seed)
            if let autoencoder {
                try model.autoencoder.update(parameters: autoencoder, strict: true)
                model.autoencoder.freeze()
            }
        }
        let trainer = try ProphetTrainer(model: model, datasets: datasets, options: options, seed: training.seed &+ 1)
        let store = try SQLiteCheckpointStore(path: training.out, mode: .openOrCreate)
        if (try? store.runRecord()) == nil {
            let config = WorldRunConfig(prophet: prophet, loraRank: loraRank, datasets: training.data)
            try store.createRun(try RunRecord(kind: loraRank == nil ? "world-train" : "world-finetune", configJSON: config.json(),
                                              seed: training.seed, codeRevision: "prophrl \(ProphRLInfo.version)",
                                              blasThreads: BLASRuntime.threads, blasKernel: BLASRuntime.coreName, created: Clock.iso8601))
        } else if let latest = try store.latest() {
            guard let state = latest.rngStates["trainer"] else { throw CLIError("--out: checkpoint \(latest.step) has no trainer RNG") }
            try trainer.restore(try WorldSupport.tensors(latest.tensors + latest.optimizerState), rng: try SeededGenerator(state: state))
            print("resuming \(training.out) at step \(latest.step) (AE \(trainer.autoencoderStep), DiT \(trainer.ditStep))")
        }
        let summary = datasets.map { "\($0.name): \($0.episodeCount) episodes, \($0.chunkCount) chunks" }.joined(separator: "; ")
        print("Prophet \(model.denoiser.parameterCount) DiT + \(model.autoencoder.parameterCount) AE parameters; \(summary)")
        let retention = try RetentionPolicy(keepLast: 2)
        let style: ProgressBar.Style = isatty(1) != 0 ? .bar : .lines
        let started = Clock.now
        var sinceCheckpoint = 0
        func checkpoint(_ metrics: [String: Double]) throws {
            let step = trainer.autoencoderStep + trainer.ditStep
            if try store.list().contains(where: { $0.step == step }) { return }
            try store.save(try WorldSupport.checkpoint(trainer, wallTime: Clock.now - started, metrics: metrics), retention: retention)
            sinceCheckpoint = 0
        }
        if options.autoencoderSteps > trainer.autoencoderStep {
            var bar = ProgressBar(total: options.autoencoderSteps - trainer.autoencoderStep, label: "autoencoder", style: style,
                                  write: { FileHandle.standardOutput.write(Data($0.utf8)) })
            while !trainer.autoencoderDone {
                let t0 = Clock.now
                let loss = try trainer.autoencoderTrainingStep()
                let rate = Double(options.autoencoderBatch * 5) / max(Clock.now - t0, 1e-9)
                try store.logMetrics(step: trainer.autoencoderStep, ["ae_loss": Double(loss), "ae_frames_per_s": rate])
                bar.advance(detail: String(format: "loss %.4f  %.1f frames/s", loss, rate))
                sinceCheckpoint += 1
                if sinceCheckpoint >= training.checkpointEvery { try checkpoint(["ae_loss": Double(loss)]) }
            }
            bar.finish()
        }
        let cacheStart = Clock.now
        try trainer.buildLatentCache(computeStatistics: trainer.ditStep == 0 && trainer.autoencoderStep > 0)
        print(String(format: "latent cache: %.1f s", Clock.now - cacheStart))
        var bar = ProgressBar(total: max(options.ditSteps - trainer.ditStep, 0), label: "DiT", style: style,
                              write: { FileHandle.standardOutput.write(Data($0.utf8)) })
        var lastLoss = Double.nan
        while trainer.ditStep < options.ditSteps {
            let t0 = Clock.now
            let loss = try trainer.ditTrainingStep()
            let rate = Double(options.ditBatch) / max(Clock.now - t0, 1e-9)
            lastLoss = Double(loss)
            try store.logMetrics(step: trainer.autoencoderStep + trainer.ditStep, ["dit_loss": lastLoss, "dit_samples_per_s": rate])
            bar.advance(detail: String(format: "loss %.4f  %.2f samples/s", loss, rate))
            sinceCheckpoint += 1
            if sinceCheckpoint >= training.checkpointEvery { try checkpoint(["dit_loss": lastLoss]) }
        }
        bar.finish()
        try checkpoint(lastLoss.isFinite ? ["dit_loss": lastLoss] : [:])
        print(String(format: "done in %.1f s → %@", Clock.now - started, training.out))
    }
}
