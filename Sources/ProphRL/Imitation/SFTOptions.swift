import ProphRLCore

/// How supervised fine-tuning runs: seed, steps, batch size and checkpoint cadence.
public struct SFTOptions: Sendable, Equatable {
    /// Seed of the minibatch order.
    public var seed: UInt64 = 0
    /// Optimizer steps.
    public var steps = 400
    /// Examples per step.
    public var batchSize = 32
    /// Steps between checkpoints (and at the end).
    public var checkpointEvery = 100

    /// The defaults.
    public init() {}

    /// Throws ``ValidationError`` naming the first invalid option.
    public func validate() throws {
        try Validate.atLeastOne(steps, "steps")
        try Validate.atLeastOne(batchSize, "batchSize")
        try Validate.atLeastOne(checkpointEvery, "checkpointEvery")
    }

    /// Applies the keys of a JSON object; unknown keys and wrong types are errors.
    /// - Throws: ``ValidationError`` naming the key.
    public mutating func apply(_ object: [(String, JSONValue)]) throws {
        for (key, value) in object {
            guard let v = value.intValue else {
                throw ValidationError.invalid(argument: key, reason: "expected an integer, got \(value.serialized())")
            }
            switch key {
            case "seed":
                if v < 0 { throw ValidationError.outOfRange(argument: key, expected: ">= 0", actual: Double(v)) }
                seed = UInt64(v)
            case "steps": steps = v
            case "batchSize": batchSize = v
            case "checkpointEvery": checkpointEvery = v
            default: throw ValidationError.invalid(argument: key, reason: "unknown sft config key")
            }
        }
        try validate()
    }

    /// The options as a JSON object.
    public var json: JSONValue {
        .object([("seed", .integer(Int64(truncatingIfNeeded: seed))), ("steps", .integer(Int64(steps))),
                 ("batchSize", .integer(Int64(batchSize))), ("checkpointEvery", .integer(Int64(checkpointEvery)))])
    }
}
