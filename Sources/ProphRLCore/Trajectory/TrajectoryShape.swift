/// The sizes of the canonical RL layout `[B, S, K, CH, D]` (rl-math.md §1.2), row-major with D fastest.
///
/// ```swift
/// let shape = try TrajectoryShape(batch: 8, outerSteps: 3, denoisingSteps: 4, chunk: 20, actionDim: 7)
/// let i = shape.index(b: 1, s: 0, k: 2, c: 5, d: 6)
/// ```
public struct TrajectoryShape: Sendable, Hashable, CustomStringConvertible {
    /// B: rollouts in the batch.
    public let batch: Int
    /// S: environment steps (one action chunk each).
    public let outerSteps: Int
    /// K: denoising steps.
    public let denoisingSteps: Int
    /// CH: actions per chunk.
    public let chunk: Int
    /// D: scalars per action (7 per end-effector).
    public let actionDim: Int

    /// Creates a shape.
    /// - Throws: ``ValidationError`` if any size is below 1 (K = 0 included).
    public init(batch: Int, outerSteps: Int, denoisingSteps: Int, chunk: Int, actionDim: Int) throws {
        try Validate.atLeastOne(batch, "batch (B)")
        try Validate.atLeastOne(outerSteps, "outerSteps (S)")
        try Validate.atLeastOne(denoisingSteps, "denoisingSteps (K)")
        try Validate.atLeastOne(chunk, "chunk (CH)")
        try Validate.atLeastOne(actionDim, "actionDim (D)")
        self.batch = batch
        self.outerSteps = outerSteps
        self.denoisingSteps = denoisingSteps
        self.chunk = chunk
        self.actionDim = actionDim
    }

    /// `B·S·K·CH·D`: elements of a per-step tensor (log-probs, means, samples).
    public var elementCount: Int { batch * outerSteps * denoisingSteps * chunk * actionDim }
    /// `B·S·CH·D`: entries of the ratio tensor.
    public var ratioCount: Int { batch * outerSteps * chunk * actionDim }
    /// `B·S·CH`: entries of the mask.
    public var maskCount: Int { batch * outerSteps * chunk }
    /// `B·S·K`: entries of a per-step scalar (std, FlowScale weight).
    public var stepCount: Int { batch * outerSteps * denoisingSteps }

    /// The flat index of element `(b, s, k, c, d)`.
    @inlinable
    public func index(b: Int, s: Int, k: Int, c: Int, d: Int) -> Int {
        (((b * outerSteps + s) * denoisingSteps + k) * chunk + c) * actionDim + d
    }

    /// The flat index of mask entry `(b, s, c)`.
    @inlinable
    public func maskIndex(b: Int, s: Int, c: Int) -> Int { (b * outerSteps + s) * chunk + c }

    /// The flat index of per-step entry `(b, s, k)`.
    @inlinable
    public func stepIndex(b: Int, s: Int, k: Int) -> Int { (b * outerSteps + s) * denoisingSteps + k }

    /// `[B, S, K, CH, D]` with the sizes.
    public var description: String {
        "[B=\(batch), S=\(outerSteps), K=\(denoisingSteps), CH=\(chunk), D=\(actionDim)]"
    }
}
