import ProphRLCore
import TensorEngine

extension FlowPolicy {
    /// The run-record key under which the policy's configuration is stored.
    public static let configurationKey = "policy"

    /// Parameters (dotted keys), AdamW state (`adamw.*`) and step counters (`counters.*`) as a checkpoint.
    /// - Throws: ``ValidationError`` for a negative step or non-finite metric.
    public func checkpoint(step: Int, wallTime: Double, metrics: [String: Double] = [:], tags: [String] = []) throws -> Checkpoint {
        let tensors = try network.parameters().map { try NamedTensor(name: $0.key, values: $0.value.scalars, shape: $0.value.shape) }
        var state = try optimizer.stateTensors().map {
            try NamedTensor(name: "adamw.\($0.key)", values: $0.value.scalars, shape: $0.value.shape)
        }
        state.append(try NamedTensor(name: "counters.imitationSteps", values: [Double(imitationSteps)], shape: [1]))
        state.append(try NamedTensor(name: "counters.policyUpdates", values: [Double(policyUpdates)], shape: [1]))
        return try Checkpoint(step: step, wallTime: wallTime, metrics: metrics, tags: tags, tensors: tensors,
                              optimizerState: state)
    }

    /// Restores parameters, and unless `weightsOnly`, the optimizer state and counters, from `checkpoint`.
    /// - Throws: ``TensorError`` for a missing or mis-shaped parameter; ``CheckpointError`` for unreadable tensors.
    public func restore(_ checkpoint: Checkpoint, weightsOnly: Bool = false) throws {
        let parameters = try Dictionary(uniqueKeysWithValues: checkpoint.tensors.map {
            ($0.name, try Tensor($0.floats(), shape: $0.shape))
        })
        try network.update(parameters: parameters, strict: true)
        guard !weightsOnly else { return }
        var adam: [String: Tensor] = [:]
        for tensor in checkpoint.optimizerState {
            if tensor.name.hasPrefix("adamw.") {
                adam[String(tensor.name.dropFirst("adamw.".count))] = try Tensor(tensor.floats(), shape: tensor.shape)
            } else if tensor.name == "counters.imitationSteps" {
                imitationSteps = Int(try tensor.doubles().first ?? 0)
            } else if tensor.name == "counters.policyUpdates" {
                policyUpdates = Int(try tensor.doubles().first ?? 0)
            }
        }
        if !adam.isEmpty { try optimizer.loadState(adam) }
    }

    /// A policy built from the configuration in `store`'s run record and the weights of its latest checkpoint
    /// (or of `step`); the optimizer state is restored too unless `weightsOnly`.
    /// - Throws: ``CheckpointError`` if the store has no run or checkpoint; ``ValidationError`` for a bad stored configuration.
    public static func load(from store: some CheckpointStore, step: Int? = nil, weightsOnly: Bool = false) async throws -> FlowPolicy {
        let record = try store.runRecord()
        let root = try JSONValue.parse(record.configJSON)
        guard case .object(let members)? = root[configurationKey] else {
            throw ValidationError.invalid(argument: "\(store.location) run config",
                                          reason: "expected a '\(configurationKey)' object with the policy configuration")
        }
        var configuration = FlowPolicyConfiguration()
        try configuration.apply(members)
        let policy = try FlowPolicy(configuration: configuration)
        let checkpoint: Checkpoint
        if let step {
            checkpoint = try store.load(step: step)
        } else {
            guard let latest = try store.latest() else {
                throw ValidationError.invalid(argument: store.location, reason: "the store holds no checkpoint")
            }
            checkpoint = latest
        }
        try await policy.restore(checkpoint, weightsOnly: weightsOnly)
        return policy
    }

}
