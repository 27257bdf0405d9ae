import ProphRLCore

/// A fake ``TrainablePolicy`` with one parameter vector θ (a chunk): its flow head is the exact velocity field
/// of θ, `v(x, τ) = (x − θ)/τ`, so `μ_k = a_k·x + b_k·(x − θ)/τ_k` is linear in θ and the update
/// `θ ← θ − lr · Σ ∂L/∂μ_k · (−b_k/τ_k)` is exact gradient descent. Small enough to check RL end to end.
public actor TrainableLinearPolicy: TrainablePolicy {
    /// The chunk layout.
    public nonisolated let chunkLayout: ChunkLayout
    /// The denoising grid.
    public nonisolated let grid: TimeGrid
    /// The learning rate of plain gradient descent.
    public let learningRate: Double
    /// The current parameters, `CH·D` values.
    public private(set) var theta: [Double]

    /// Creates the policy at `theta` (flat `[CH, D]`, D = `maxEffectors·7`).
    /// - Throws: ``ValidationError`` if `theta` does not fill the layout.
    public init(theta: [Double], layout: ChunkLayout, grid: TimeGrid, learningRate: Double) throws {
        try Validate.count(theta.count, equals: layout.steps * layout.actionDim, "theta")
        try Validate.finite(theta, "theta")
        self.theta = theta
        chunkLayout = layout
        self.grid = grid
        self.learningRate = learningRate
    }

    /// Samples the chain toward the current θ.
    public func act(on observation: Observation, sampling: PolicySampling) async throws -> PolicySample {
        let target = try ActionChunk(steps: chunkLayout.steps, maxEffectors: chunkLayout.maxEffectors,
                                     values: theta.map(Float.init),
                                     validity: [Bool](repeating: true, count: chunkLayout.maxEffectors))
        return try await LinearFlowPolicy(target: target, grid: grid).act(on: observation, sampling: sampling)
    }

    /// `μ_k = a_k x_k + b_k (x_k − θ)/τ_k` for every record and step.
    public func transitionMeans(for records: [PolicyStepRecord]) async throws -> [[[Double]]] {
        try records.map { record in
            let sde = try FlowSDE(grid: record.trace.grid, eta: record.trace.eta)
            return (0..<record.trace.steps).map { k in
                let c = sde.coefficients[k]
                return record.trace.states[k].enumerated().map { i, x in
                    let x = Double(x)
                    return c.xCoefficient * x + c.vCoefficient * (x - theta[i]) / c.tau
                }
            }
        }
    }

    /// One gradient-descent step on θ; reports the gradient norm contributed by each step k. An anchor adds
    /// `weight · ∂/∂θ` of its imitation loss `mean ‖u − θ‖²` over its examples' chunks `u` (the flow-matching loss
    /// of this velocity field at τ = 1).
    public func applyMeansGradient(_ gradient: [[[Double]]], for records: [PolicyStepRecord],
                                   anchor: ImitationAnchor?) async throws -> PolicyUpdateReport {
        try Validate.count(gradient.count, equals: records.count, "gradient")
        var total = [Double](repeating: 0, count: theta.count)
        var perStep = [[Double]](repeating: [Double](repeating: 0, count: theta.count), count: grid.steps)
        for (record, g) in zip(records, gradient) {
            let sde = try FlowSDE(grid: record.trace.grid, eta: record.trace.eta)
            for k in 0..<record.trace.steps {
                let c = sde.coefficients[k]
                for i in theta.indices {
                    let contribution = g[k][i] * (-c.vCoefficient / c.tau)
                    total[i] += contribution
                    perStep[k][i] += contribution
                }
            }
        }
        var anchorLoss: Double?
        if let anchor {
            var loss = 0.0
            let n = Double(anchor.examples.count * theta.count)
            for example in anchor.examples {
                try Validate.count(example.target.values.count, equals: theta.count, "anchor example chunk")
                for i in theta.indices {
                    let residual = Double(example.target.values[i]) - theta[i]
                    loss += residual * residual / n
                    total[i] += anchor.weight * -2 * residual / n
                }
            }
            anchorLoss = loss
        }
        for i in theta.indices { theta[i] -= learningRate * total[i] }
        func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        return PolicyUpdateReport(gradientNorm: norm(total), learningRate: learningRate, perStepGradientNorms: perStep.map(norm),
                                  anchorLoss: anchorLoss)
    }
}
