import ProphRLCore

/// The JSON config of `prophrl rl train`: ``RLOptions`` fields plus the run length and cadence. Absent keys keep
/// their defaults; unknown keys and wrong types are ``ValidationError``s naming the key.
///
/// ```json
/// {"seed": 0, "groupSize": 8, "groupsPerIteration": 4, "outerSteps": 12, "eta": 0.5,
///  "objective": "flowScale", "clipEpsilon": 0.2, "klCoefficient": 0.01, "minibatchRollouts": 16,
///  "epochs": 1, "iterations": 20, "learningRate": 0.0003, "checkpointEvery": 5, "keepCheckpoints": 2,
///  "anchorWeight": 0, "anchorBatch": 32}
/// ```
public struct RLConfigFile: Sendable, Equatable {
    /// The loop's options (`task` comes from the command line).
    public var options = RLOptions()
    /// Iterations to run.
    public var iterations = 20
    /// Policy learning rate during RL (nil keeps the SFT one).
    public var learningRate: Double?
    /// Iterations between checkpoints (and at the end).
    public var checkpointEvery = 5
    /// How many of the latest checkpoints the run file keeps: more lets `sim eval --step` and `rl report --select-on`
    /// choose an earlier iteration on validation seeds (early stopping).
    public var keepCheckpoints = 2
    /// Whether RL trains only the flow action head, the observation encoders frozen at their SFT weights.
    public var freezeEncoders = false
    /// Whether the file set `outerSteps` (otherwise the command derives it from the task's step limit).
    public var outerStepsGiven = false

    /// The defaults.
    public init() {}

    /// Parses `text`; the task is set separately.
    /// - Throws: ``ValidationError`` naming the key; `JSONParseError` for malformed JSON.
    public static func parse(json text: String, task: String) throws -> RLConfigFile {
        guard case .object(let members) = try JSONValue.parse(text) else {
            throw ValidationError.invalid(argument: "rl config", reason: "expected a JSON object")
        }
        var file = RLConfigFile()
        file.options.task = task
        for (key, value) in members {
            func int() throws -> Int {
                guard let v = value.intValue else {
                    throw ValidationError.invalid(argument: key, reason: "expected an integer, got \(value.serialized())")
                }
                return v
            }
            func double() throws -> Double {
                guard let v = value.doubleValue else {
                    throw ValidationError.invalid(argument: key, reason: "expected a number, got \(value.serialized())")
                }
                return v
            }
            switch key {
            case "seed":
                let v = try int()
                if v < 0 { throw ValidationError.outOfRange(argument: key, expected: ">= 0", actual: Double(v)) }
                file.options.seed = UInt64(v)
            case "groupSize": file.options.groupSize = try int()
            case "groupsPerIteration": file.options.groupsPerIteration = try int()
            case "outerSteps":
                file.options.outerSteps = try int()
                file.outerStepsGiven = true
            case "eta": file.options.eta = try double()
            case "objective":
                guard let name = value.stringValue, let objective = RLOptions.Objective(rawValue: name) else {
                    throw ValidationError.invalid(argument: key, reason: "expected one of "
                        + RLOptions.Objective.allCases.map(\.rawValue).joined(separator: ", ") + ", got \(value.serialized())")
                }
                file.options.objective = objective
            case "clipEpsilon": file.options.objectiveConfiguration.clipEpsilon = try double()
            case "klCoefficient": file.options.objectiveConfiguration.klCoefficient = try double()
            case "minibatchRollouts": file.options.minibatchRollouts = try int()
            case "epochs": file.options.epochs = try int()
            case "iterations": file.iterations = try int()
            case "learningRate": file.learningRate = try double()
            case "checkpointEvery": file.checkpointEvery = try int()
            case "keepCheckpoints": file.keepCheckpoints = try int()
            case "rewardControl":
                guard let name = value.stringValue, let control = RewardControl(rawValue: name) else {
                    throw ValidationError.invalid(argument: key, reason: "expected one of "
                        + RewardControl.allCases.map(\.rawValue).joined(separator: ", ") + ", got \(value.serialized())")
                }
                file.options.rewardControl = control
            case "anchorWeight": file.options.anchorWeight = try double()
            case "anchorBatch": file.options.anchorBatch = try int()
            case "freezeEncoders":
                guard case .bool(let v) = value else {
                    throw ValidationError.invalid(argument: key, reason: "expected true or false, got \(value.serialized())")
                }
                file.freezeEncoders = v
            default: throw ValidationError.invalid(argument: key, reason: "unknown rl config key")
            }
        }
        try file.validate()
        return file
    }

    /// Throws ``ValidationError`` naming the first invalid field.
    public func validate() throws {
        try options.validate()
        try Validate.atLeastOne(iterations, "iterations")
        try Validate.atLeastOne(checkpointEvery, "checkpointEvery")
        try Validate.atLeastOne(keepCheckpoints, "keepCheckpoints")
        if let learningRate { try Validate.positive(learningRate, "learningRate") }
    }

    /// The effective configuration as JSON (stored in the run record).
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("seed", .integer(Int64(truncatingIfNeeded: options.seed))), ("task", .string(options.task)),
            ("groupSize", .integer(Int64(options.groupSize))),
            ("groupsPerIteration", .integer(Int64(options.groupsPerIteration))),
            ("outerSteps", .integer(Int64(options.outerSteps))), ("eta", .number(options.eta)),
            ("objective", .string(options.objective.rawValue)),
            ("clipEpsilon", .number(options.objectiveConfiguration.clipEpsilon)),
            ("klCoefficient", .number(options.objectiveConfiguration.klCoefficient)),
            ("minibatchRollouts", .integer(Int64(options.minibatchRollouts))), ("epochs", .integer(Int64(options.epochs))),
            ("iterations", .integer(Int64(iterations))), ("checkpointEvery", .integer(Int64(checkpointEvery))),
            ("keepCheckpoints", .integer(Int64(keepCheckpoints))),
        ]
        if let learningRate { members.append(("learningRate", .number(learningRate))) }
        if freezeEncoders { members.append(("freezeEncoders", .bool(true))) }
        if options.anchorWeight > 0 {
            members += [("anchorWeight", .number(options.anchorWeight)), ("anchorBatch", .integer(Int64(options.anchorBatch)))]
        }
        if options.rewardControl != .none { members.append(("rewardControl", .string(options.rewardControl.rawValue))) }
        return .object(members)
    }
}
