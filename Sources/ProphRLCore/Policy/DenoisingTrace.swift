/// The denoising chain behind one sampled action chunk, as rl-math.md §3.6 says to store it: every state
/// `x_0 … x_K`, each step's mean, std and per-element log-prob, so the update can recompute `ℓ^θ` at the
/// stored samples without resampling.
///
/// Vectors are flat `[CH, D]` per step (the ``ActionChunk/flat`` order).
public struct DenoisingTrace: Sendable, Equatable {
    /// The time grid the chain ran on.
    public let grid: TimeGrid
    /// The noise level η (0 for a deterministic ODE chain).
    public let eta: Double
    /// `K + 1` states: `states[0]` is the initial noise, `states[K]` the executed chunk.
    public let states: [[Float]]
    /// `K` transition means at rollout time.
    public let means: [[Float]]
    /// `K` step stds (0 for ODE steps).
    public let stds: [Double]
    /// `K` vectors of per-element log-probs at rollout time (empty vectors for ODE steps).
    public let logProbs: [[Float]]

    /// Creates a trace.
    /// - Throws: ``ValidationError`` if counts do not match the grid or vectors differ in length.
    public init(grid: TimeGrid, eta: Double, states: [[Float]], means: [[Float]], stds: [Double],
                logProbs: [[Float]]) throws {
        let K = grid.steps
        try Validate.count(states.count, equals: K + 1, "states")
        try Validate.count(means.count, equals: K, "means")
        try Validate.count(stds.count, equals: K, "stds")
        try Validate.count(logProbs.count, equals: K, "logProbs")
        let width = states[0].count
        for (i, state) in states.enumerated() { try Validate.count(state.count, equals: width, "states[\(i)]") }
        for (i, mean) in means.enumerated() { try Validate.count(mean.count, equals: width, "means[\(i)]") }
        for (i, lp) in logProbs.enumerated() where !lp.isEmpty { try Validate.count(lp.count, equals: width, "logProbs[\(i)]") }
        self.grid = grid
        self.eta = eta
        self.states = states
        self.means = means
        self.stds = stds
        self.logProbs = logProbs
    }

    /// K, the number of denoising steps.
    public var steps: Int { grid.steps }
}
