import ProphRLCore

/// Sizes and training settings of a ``VideoJudge``; every field has a default and is checked by ``validate()``.
public struct VideoJudgeConfiguration: Sendable, Equatable {
    /// Seed of the initial weights and of minibatch draws.
    public var seed: UInt64 = 0
    /// Frames sampled evenly from a rollout, the last frame always included.
    public var sampledFrames = 4
    /// Each sampled frame is average-pooled to `imageSize`² before the patch embedding.
    public var imageSize = 16
    /// Side of a square patch (must divide `imageSize`).
    public var patchSize = 4
    /// Width of one patch embedding.
    public var patchWidth = 16
    /// Width of the per-frame feature and of the pooled video feature.
    public var hiddenWidth = 32
    /// Word-embedding table size (words hashed into it).
    public var vocabularySize = 64
    /// Word-embedding width.
    public var wordWidth = 16
    /// AdamW learning rate.
    public var learningRate = 3e-3
    /// AdamW decoupled weight decay.
    public var weightDecay = 1e-4
    /// P(success) at or above which a rollout is judged successful.
    public var threshold = 0.5
    /// States sampled evenly from the rollout's states before each chunk (first and last included), each read as
    /// the end effector's displacement from the first state (per 10 cm) and its gripper command; 0: video only.
    public var statePoints = 0
    /// 1: each sampled frame is read as its change from the first sampled frame (which becomes zeros), so the start's
    /// look cancels and what the rollout did remains; 0: the frames as they are.
    public var differenceFrames = 0

    /// The defaults.
    public init() {}

    /// Patches per frame.
    public var patchCount: Int { (imageSize / patchSize) * (imageSize / patchSize) }
    /// Feature values per rollout from its frames.
    public var videoFeatureCount: Int { sampledFrames * imageSize * imageSize * 3 }
    /// Feature values per rollout from its states.
    public var stateFeatureCount: Int { statePoints * VideoJudgeFeatures.valuesPerState }

    /// Throws ``ValidationError`` naming the first bad field.
    public func validate() throws {
        for (value, name) in [(sampledFrames, "sampledFrames"), (imageSize, "imageSize"), (patchSize, "patchSize"),
                              (patchWidth, "patchWidth"), (hiddenWidth, "hiddenWidth"), (vocabularySize, "vocabularySize"),
                              (wordWidth, "wordWidth")] {
            try Validate.atLeastOne(value, name)
        }
        guard differenceFrames == 0 || differenceFrames == 1 else {
            throw ValidationError.outOfRange(argument: "differenceFrames", expected: "0 or 1", actual: Double(differenceFrames))
        }
        guard statePoints >= 0 else { throw ValidationError.outOfRange(argument: "statePoints", expected: ">= 0", actual: Double(statePoints)) }
        guard imageSize % patchSize == 0 else {
            throw ValidationError.invalid(argument: "patchSize", reason: "expected a divisor of imageSize \(imageSize), got \(patchSize)")
        }
        try Validate.positive(learningRate, "learningRate")
        guard weightDecay >= 0, weightDecay.isFinite else {
            throw ValidationError.outOfRange(argument: "weightDecay", expected: ">= 0", actual: weightDecay)
        }
        guard threshold > 0, threshold < 1 else {
            throw ValidationError.outOfRange(argument: "threshold", expected: "in (0, 1)", actual: threshold)
        }
    }

    /// Applies the keys of a JSON object (unknown keys are errors).
    public mutating func apply(_ object: [(String, JSONValue)]) throws {
        for (key, value) in object {
            if key == "learningRate" || key == "weightDecay" || key == "threshold" {
                guard let v = value.doubleValue else {
                    throw ValidationError.invalid(argument: key, reason: "expected a number, got \(value.serialized())")
                }
                switch key {
                case "learningRate": learningRate = v
                case "weightDecay": weightDecay = v
                default: threshold = v
                }
                continue
            }
            guard let v = value.intValue else {
                throw ValidationError.invalid(argument: key, reason: "expected an integer, got \(value.serialized())")
            }
            switch key {
            case "seed":
                guard v >= 0 else { throw ValidationError.outOfRange(argument: key, expected: ">= 0", actual: Double(v)) }
                seed = UInt64(v)
            case "sampledFrames": sampledFrames = v
            case "imageSize": imageSize = v
            case "patchSize": patchSize = v
            case "patchWidth": patchWidth = v
            case "hiddenWidth": hiddenWidth = v
            case "vocabularySize": vocabularySize = v
            case "wordWidth": wordWidth = v
            case "statePoints": statePoints = v
            case "differenceFrames": differenceFrames = v
            default: throw ValidationError.invalid(argument: key, reason: "unknown judge config key")
            }
        }
    }

    /// The configuration as a JSON object (stored in the run record).
    public var json: JSONValue {
        func i(_ v: Int) -> JSONValue { .integer(Int64(v)) }
        return .object([
            ("seed", .integer(Int64(truncatingIfNeeded: seed))), ("sampledFrames", i(sampledFrames)),
            ("imageSize", i(imageSize)), ("patchSize", i(patchSize)), ("patchWidth", i(patchWidth)),
            ("hiddenWidth", i(hiddenWidth)), ("vocabularySize", i(vocabularySize)), ("wordWidth", i(wordWidth)),
            ("learningRate", .number(learningRate)), ("weightDecay", .number(weightDecay)), ("threshold", .number(threshold)),
            ("statePoints", i(statePoints)), ("differenceFrames", i(differenceFrames)),
        ])
    }
}
