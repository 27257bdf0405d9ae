import ProphRLCore

/// The sizes and training settings of a ``FlowPolicy``; every field has a documented default and is checked by
/// ``validate()`` (docs/policy.md lists them).
public struct FlowPolicyConfiguration: Sendable, Equatable {
    /// Which camera frame the image encoder reads.
    public enum ObservedFrame: String, Sendable, CaseIterable {
        /// The current frame: closed-loop vision (the default).
        case latest
        /// The episode's first frame (``Observation/firstImage``): the scene is read once, progress comes from the
        /// state, so inside a world model the policy never reads a generated frame.
        case first
    }

    /// Seed of the initial weights and of every training draw (flow times, noise).
    public var seed: UInt64 = 0
    /// Actions per chunk (CH).
    public var chunkSteps = 4
    /// Denoising steps (K).
    public var denoisingSteps = 4
    /// The camera frame is average-pooled to `imageSize`² before the patch embedding.
    public var imageSize = 16
    /// Side of a square image patch (must divide `imageSize`).
    public var patchSize = 4
    /// Which frame the image encoder reads.
    public var observedFrame = ObservedFrame.latest
    /// Width of one patch embedding.
    public var patchWidth = 16
    /// Word-embedding table size (words are hashed into it).
    public var vocabularySize = 64
    /// Word-embedding width.
    public var wordWidth = 16
    /// Width of the fused condition vector.
    public var conditionWidth = 64
    /// Width of the velocity network's hidden layers.
    public var hiddenWidth = 128
    /// Hidden layers of the velocity network.
    public var hiddenLayers = 2
    /// AdamW learning rate.
    public var learningRate = 1e-3
    /// AdamW decoupled weight decay.
    public var weightDecay = 1e-4
    /// Global gradient-norm clip.
    public var maxGradientNorm = 1.0
    /// Action scale per dimension: the flow runs on `(action − offset) / scale` (Δx, Δy, Δz m; Δroll, Δpitch, Δyaw rad; gripper).
    public var actionScale: [Double] = [0.03, 0.03, 0.03, 0.1, 0.1, 0.1, 0.5]
    /// Action offset per dimension (the gripper's centre 0.5).
    public var actionOffset: [Double] = [0, 0, 0, 0, 0, 0, 0.5]

    /// The defaults.
    public init() {}

    /// Patches per frame.
    public var patchCount: Int { (imageSize / patchSize) * (imageSize / patchSize) }
    /// Flat chunk width `CH · 7`.
    public var chunkWidth: Int { chunkSteps * EndEffectorAction.dimension }

    /// Throws ``ValidationError`` naming the first invalid field.
    public func validate() throws {
        for (value, name) in [(chunkSteps, "chunkSteps"), (denoisingSteps, "denoisingSteps"), (imageSize, "imageSize"),
                              (patchSize, "patchSize"), (patchWidth, "patchWidth"), (vocabularySize, "vocabularySize"),
                              (wordWidth, "wordWidth"), (conditionWidth, "conditionWidth"), (hiddenWidth, "hiddenWidth"),
                              (hiddenLayers, "hiddenLayers")] {
            try Validate.atLeastOne(value, name)
        }
        guard imageSize % patchSize == 0 else {
            throw ValidationError.invalid(argument: "patchSize", reason: "must divide imageSize \(imageSize), got \(patchSize)")
        }
        try Validate.positive(learningRate, "learningRate")
        try Validate.finite(weightDecay, "weightDecay")
        if weightDecay < 0 { throw ValidationError.outOfRange(argument: "weightDecay", expected: ">= 0", actual: weightDecay) }
        try Validate.positive(maxGradientNorm, "maxGradientNorm")
        try Validate.count(actionScale.count, equals: EndEffectorAction.dimension, "actionScale")
        try Validate.count(actionOffset.count, equals: EndEffectorAction.dimension, "actionOffset")
        for (i, s) in actionScale.enumerated() { try Validate.positive(s, "actionScale[\(i)]") }
        try Validate.finite(actionOffset, "actionOffset")
    }

    /// Reads a JSON object; absent keys keep their defaults, unknown keys and wrong types are errors.
    /// - Throws: ``ValidationError`` naming the key, expected and actual value; `JSONParseError` for bad JSON.
    public static func parse(json text: String) throws -> FlowPolicyConfiguration {
        var c = FlowPolicyConfiguration()
        guard case .object(let object) = try JSONValue.parse(text) else {
            throw ValidationError.invalid(argument: "policy config", reason: "expected a JSON object")
        }
        try c.apply(object)
        try c.validate()
        return c
    }

    /// Applies the keys of a JSON object to this configuration.
    /// - Throws: ``ValidationError`` for an unknown key or a value of the wrong type.
    public mutating func apply(_ object: [(String, JSONValue)]) throws {
        func int(_ key: String, _ value: JSONValue) throws -> Int {
            guard let v = value.intValue else {
                throw ValidationError.invalid(argument: key, reason: "expected an integer, got \(value.serialized())")
            }
            return v
        }
        func double(_ key: String, _ value: JSONValue) throws -> Double {
            guard let v = value.doubleValue else {
                throw ValidationError.invalid(argument: key, reason: "expected a number, got \(value.serialized())")
            }
            return v
        }
        func doubles(_ key: String, _ value: JSONValue) throws -> [Double] {
            guard case .array(let items) = value else {
                throw ValidationError.invalid(argument: key, reason: "expected an array of numbers, got \(value.serialized())")
            }
            return try items.map { try double(key, $0) }
        }
        for (key, value) in object {
            switch key {
            case "seed":
                let v = try int(key, value)
                if v < 0 { throw ValidationError.outOfRange(argument: key, expected: ">= 0", actual: Double(v)) }
                seed = UInt64(v)
            case "chunkSteps": chunkSteps = try int(key, value)
            case "denoisingSteps": denoisingSteps = try int(key, value)
            case "imageSize": imageSize = try int(key, value)
            case "patchSize": patchSize = try int(key, value)
            case "observedFrame":
                guard case .string(let name) = value, let frame = ObservedFrame(rawValue: name) else {
                    throw ValidationError.invalid(argument: key, reason: "expected one of \(ObservedFrame.allCases.map(\.rawValue)), got \(value.serialized())")
                }
                observedFrame = frame
            case "patchWidth": patchWidth = try int(key, value)
            case "vocabularySize": vocabularySize = try int(key, value)
            case "wordWidth": wordWidth = try int(key, value)
            case "conditionWidth": conditionWidth = try int(key, value)
            case "hiddenWidth": hiddenWidth = try int(key, value)
            case "hiddenLayers": hiddenLayers = try int(key, value)
            case "learningRate": learningRate = try double(key, value)
            case "weightDecay": weightDecay = try double(key, value)
            case "maxGradientNorm": maxGradientNorm = try double(key, value)
            case "actionScale": actionScale = try doubles(key, value)
            case "actionOffset": actionOffset = try doubles(key, value)
            default:
                throw ValidationError.invalid(argument: key, reason: "unknown policy config key")
            }
        }
    }

    /// The configuration as a JSON object (stored in the run record).
    public var json: JSONValue {
        func i(_ v: Int) -> JSONValue { .integer(Int64(v)) }
        return .object([
            ("seed", .integer(Int64(truncatingIfNeeded: seed))), ("chunkSteps", i(chunkSteps)),
            ("denoisingSteps", i(denoisingSteps)), ("imageSize", i(imageSize)), ("patchSize", i(patchSize)),
            ("observedFrame", .string(observedFrame.rawValue)), ("patchWidth", i(patchWidth)), ("vocabularySize", i(vocabularySize)), ("wordWidth", i(wordWidth)),
            ("conditionWidth", i(conditionWidth)), ("hiddenWidth", i(hiddenWidth)), ("hiddenLayers", i(hiddenLayers)),
            ("learningRate", .number(learningRate)), ("weightDecay", .number(weightDecay)),
            ("maxGradientNorm", .number(maxGradientNorm)),
            ("actionScale", .array(actionScale.map { .number($0) })),
            ("actionOffset", .array(actionOffset.map { .number($0) })),
        ])
    }
}
