import ProphRLCore

/// Moves weights between checkpoint stores and safetensors files (PyTorch / Hugging Face interop).
///
/// Names are the dotted keys on both sides. LoRA adapters and base weights travel separately:
/// an import takes either the adapter tensors (PEFT naming, a `lora_` segment) or the others.
///
/// ```swift
/// let bytes = try SafetensorsTransfer.export(from: store, step: 100)
/// let (run, checkpoint) = try SafetensorsTransfer.importRun(try Safetensors.decode(bytes, file: f), part: .base, ...)
/// ```
public enum SafetensorsTransfer {
    /// Which tensors of a safetensors file an import takes.
    public enum Part: String, Sendable, CaseIterable {
        /// Everything that is not a LoRA adapter tensor.
        case base
        /// Only LoRA adapter tensors (`...lora_A...`, `...lora_B...`, `lora_embedding_*`, `lora_magnitude_*`).
        case lora
    }

    /// Whether `name` is a LoRA adapter tensor under PEFT's naming (a dotted segment starting `lora_`).
    public static func isLoRA(_ name: String) -> Bool {
        name.split(separator: ".").contains { $0.hasPrefix("lora_") }
    }

    /// Safetensors bytes for the parameters of checkpoint `step` (the latest when `nil`), with the
    /// run's identity in `__metadata__`. Optimizer state is included, prefixed `optimizer.`, only on request.
    /// - Throws: ``CheckpointError`` from the store (`noSuchStep` when empty or absent).
    public static func export(from store: some CheckpointStore, step: Int?, includeOptimizer: Bool = false) throws -> [UInt8] {
        let checkpoint: Checkpoint
        if let step {
            checkpoint = try store.load(step: step)
        } else {
            guard let latest = try store.latest() else { throw CheckpointError.noSuchStep(file: store.location, step: -1) }
            checkpoint = latest
        }
        let run = try store.runRecord()
        var metadata = ["format": "pt", "prophrl.step": String(checkpoint.step), "prophrl.kind": run.kind,
                        "prophrl.seed": String(run.seed), "prophrl.code_revision": run.codeRevision,
                        "prophrl.config": run.configJSON]
        for (name, value) in checkpoint.metrics { metadata["prophrl.metric.\(name)"] = "\(value)" }
        var tensors = checkpoint.tensors
        if includeOptimizer {
            tensors += try checkpoint.optimizerState.map {
                try NamedTensor(name: "optimizer.\($0.name)", dtype: $0.dtype, shape: $0.shape, bytes: $0.bytes)
            }
        }
        return try Safetensors.encode(tensors, metadata: metadata)
    }

    /// A new run (kind `import-base` or `import-lora`) and its step-0 checkpoint holding the chosen part.
    /// - Parameters:
    ///   - contents: the decoded file; its `__metadata__` becomes the run's config.
    ///   - source: the file name, recorded in the config.
    ///   - created: an ISO 8601 time for the run record.
    /// - Throws: ``ValidationError`` if the chosen part has no tensors.
    public static func importRun(_ contents: Safetensors.Contents, part: Part, source: String, seed: UInt64 = 0,
                                 codeRevision: String, created: String, wallTime: Double) throws -> (RunRecord, Checkpoint) {
        let chosen = contents.tensors.filter { isLoRA($0.name) == (part == .lora) }
        if chosen.isEmpty {
            throw ValidationError.invalid(argument: "part",
                                          reason: "\(source) has no \(part == .lora ? "LoRA adapter" : "base weight") tensors (of \(contents.tensors.count))")
        }
        let metadata = JSONValue.object(contents.metadata.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
        let config = JSONValue.object([("source", .string(source)), ("part", .string(part.rawValue)), ("metadata", metadata)])
        let run = try RunRecord(kind: "import-\(part.rawValue)", configJSON: config.serialized(), seed: seed,
                                codeRevision: codeRevision, blasThreads: 0, blasKernel: "none", created: created)
        let checkpoint = try Checkpoint(step: 0, wallTime: wallTime, tags: [part.rawValue, "imported"], tensors: chosen)
        return (run, checkpoint)
    }
}
