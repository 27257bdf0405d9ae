/// What a run is and how to reproduce it: kind, configuration, seed, code revision and BLAS setup.
///
/// ```swift
/// let run = try RunRecord(kind: "fa-grpo", configJSON: #"{"lr":1e-5}"#, seed: 7,
///                         codeRevision: "e3e7860", blasThreads: 1, blasKernel: "Haswell",
///                         created: "2026-11-25T08:00:00Z")
/// ```
public struct RunRecord: Sendable, Equatable {
    /// What the run trains (`prophet`, `fa-grpo`, `import`, ...).
    public let kind: String
    /// The full configuration as a JSON object text.
    public let configJSON: String
    /// The root seed of every random stream in the run.
    public let seed: UInt64
    /// The source revision (e.g. a git commit) that produced the run.
    public let codeRevision: String
    /// BLAS threads used (bit-exact resume needs the same count).
    public let blasThreads: Int
    /// BLAS kernel / core name (e.g. `Haswell`, `SkylakeX`).
    public let blasKernel: String
    /// Creation time as an ISO 8601 UTC string.
    public let created: String

    /// Creates a run record.
    /// - Throws: ``ValidationError`` if `kind` is empty, `configJSON` is not a JSON object, or
    ///   `blasThreads` is negative.
    public init(kind: String, configJSON: String = "{}", seed: UInt64, codeRevision: String,
                blasThreads: Int, blasKernel: String, created: String) throws {
        if kind.isEmpty { throw ValidationError.empty(argument: "kind") }
        let config: JSONValue
        do { config = try JSONValue.parse(configJSON) } catch let error as JSONParseError {
            throw ValidationError.invalid(argument: "configJSON", reason: "not valid JSON: \(error)")
        }
        guard case .object = config else {
            throw ValidationError.invalid(argument: "configJSON", reason: "expected a JSON object, got \(configJSON.prefix(40))")
        }
        if blasThreads < 0 {
            throw ValidationError.outOfRange(argument: "blasThreads", expected: ">= 0", actual: Double(blasThreads))
        }
        self.kind = kind
        self.configJSON = configJSON
        self.seed = seed
        self.codeRevision = codeRevision
        self.blasThreads = blasThreads
        self.blasKernel = blasKernel
        self.created = created
    }
}
