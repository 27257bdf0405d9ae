/// Everything needed to resume training exactly at one step: parameters, optimizer state, RNG states.
///
/// ```swift
/// let checkpoint = try Checkpoint(step: 100, wallTime: 1_764_000_000, metrics: ["loss": 0.25],
///                                 tensors: model, optimizerState: adam, rngStates: ["sampler": rng.state])
/// try store.save(checkpoint)
/// ```
public struct Checkpoint: Sendable, Equatable {
    /// The training step this state was taken after.
    public let step: Int
    /// Seconds since the Unix epoch when it was taken (the caller's clock; the core has none).
    public let wallTime: Double
    /// Scalar metrics at this step (e.g. `loss`, `success_rate`); all finite.
    public let metrics: [String: Double]
    /// Free labels such as `best`, `last`, `base`, `lora`.
    public let tags: [String]
    /// Model parameters by dotted name, sorted by name.
    public let tensors: [NamedTensor]
    /// Optimizer state tensors (e.g. `adam.m.head.weight`), sorted by name.
    public let optimizerState: [NamedTensor]
    /// Saved generator states by stream name (see ``SeededGenerator/state``).
    public let rngStates: [String: [UInt64]]

    /// Creates a checkpoint, sorting tensors by name.
    /// - Throws: ``ValidationError`` if `step` is negative, `wallTime` or a metric is not finite, a
    ///   metric name is empty, or a tensor name repeats within `tensors` or within `optimizerState`.
    public init(step: Int, wallTime: Double, metrics: [String: Double] = [:], tags: [String] = [],
                tensors: [NamedTensor], optimizerState: [NamedTensor] = [],
                rngStates: [String: [UInt64]] = [:]) throws {
        if step < 0 { throw ValidationError.outOfRange(argument: "step", expected: ">= 0", actual: Double(step)) }
        try Validate.finite(wallTime, "wallTime")
        for (name, value) in metrics {
            if name.isEmpty { throw ValidationError.empty(argument: "metric name") }
            try Validate.finite(value, "metrics[\(name)]")
        }
        for tag in tags where tag.isEmpty { throw ValidationError.empty(argument: "tag") }
        for name in rngStates.keys where name.isEmpty { throw ValidationError.empty(argument: "rng stream name") }
        self.step = step
        self.wallTime = wallTime
        self.metrics = metrics
        self.tags = Array(Set(tags)).sorted()
        self.tensors = try Checkpoint.sortedUnique(tensors, "tensors")
        self.optimizerState = try Checkpoint.sortedUnique(optimizerState, "optimizerState")
        self.rngStates = rngStates
    }

    /// The parameter called `name`.
    /// - Throws: ``CheckpointError/missingTensor(file:step:name:)`` if there is none (`file` is empty here).
    public func tensor(_ name: String) throws -> NamedTensor {
        guard let found = tensors.first(where: { $0.name == name }) else {
            throw CheckpointError.missingTensor(file: "", step: step, name: name)
        }
        return found
    }

    /// The total number of tensor bytes (parameters and optimizer state).
    public var byteCount: Int {
        tensors.reduce(0) { $0 + $1.bytes.count } + optimizerState.reduce(0) { $0 + $1.bytes.count }
    }

    private static func sortedUnique(_ tensors: [NamedTensor], _ argument: String) throws -> [NamedTensor] {
        let sorted = tensors.sorted { $0.name < $1.name }
        for i in sorted.indices.dropFirst() where sorted[i].name == sorted[i - 1].name {
            throw ValidationError.invalid(argument: argument, reason: "duplicate tensor name \(sorted[i].name)")
        }
        return sorted
    }
}

/// A checkpoint's step, time, metrics and tags without its tensors, for listings.
public struct CheckpointSummary: Sendable, Equatable {
    /// The training step.
    public let step: Int
    /// Seconds since the Unix epoch.
    public let wallTime: Double
    /// Scalar metrics at this step.
    public let metrics: [String: Double]
    /// Free labels.
    public let tags: [String]
    /// Total tensor bytes (parameters and optimizer state).
    public let byteCount: Int

    /// Creates a summary.
    public init(step: Int, wallTime: Double, metrics: [String: Double], tags: [String], byteCount: Int) {
        self.step = step
        self.wallTime = wallTime
        self.metrics = metrics
        self.tags = tags
        self.byteCount = byteCount
    }

    /// The summary of a full checkpoint.
    public init(_ checkpoint: Checkpoint) {
        self.init(step: checkpoint.step, wallTime: checkpoint.wallTime, metrics: checkpoint.metrics,
                  tags: checkpoint.tags, byteCount: checkpoint.byteCount)
    }
}

/// One point of a per-step metric series.
public struct MetricSample: Sendable, Equatable {
    /// The training step.
    public let step: Int
    /// The metric's value at that step.
    public let value: Double

    /// Creates a sample.
    public init(step: Int, value: Double) {
        self.step = step
        self.value = value
    }
}
