import ProphRLCore
import TensorEngine

/// A small vision-language-action policy with a flow-matching action head, trainable by imitation
/// (flow-matching loss) and by policy gradient through its transition means (``TrainablePolicy``).
///
/// The flow runs on normalised actions `u = (a − offset)/scale` and its chunks are in those units (so the last
/// chain state is the executed chunk); drive an environment through `ScaledActionEnvironment` with
/// ``actionScaling``. Imitation targets are given in robot units. Every chain
/// state is rounded to `Float` before the velocity is evaluated, so the means recomputed from the stored trace
/// equal the rollout's means (ratio 1 before an update).
///
/// ```swift
/// let policy = try FlowPolicy(configuration: FlowPolicyConfiguration())
/// let sample = try await policy.act(on: observation, sampling: .stochastic(eta: 0.5, seed: 1))
/// ```
public actor FlowPolicy: TrainablePolicy, ImitationPolicy {
    /// Chunk shape: CH actions of one effector.
    public nonisolated let chunkLayout: ChunkLayout
    /// Sizes and training settings.
    public nonisolated let configuration: FlowPolicyConfiguration
    /// The denoising grid (uniform, K steps).
    public nonisolated let grid: TimeGrid
    /// Normalised → robot units for this policy's chunks.
    public nonisolated let actionScaling: ActionScaling
    let network: FlowPolicyNetwork
    let optimizer: AdamW
    /// Imitation steps taken (drives the flow-time and noise draws of SFT).
    public internal(set) var imitationSteps = 0
    /// Policy-gradient updates taken.
    public internal(set) var policyUpdates = 0
    /// Whether policy-gradient updates leave the observation encoders (image, instruction, state, fusion) as they are
    /// and train only the flow action head (`velocityField`).
    public private(set) var observationEncodersFrozen = false

    /// Creates a policy with seeded initial weights.
    /// - Throws: ``ValidationError`` for an invalid configuration.
    public init(configuration: FlowPolicyConfiguration) throws {
        try configuration.validate()
        self.configuration = configuration
        chunkLayout = ChunkLayout(steps: configuration.chunkSteps, maxEffectors: 1)
        grid = try TimeGrid.uniform(steps: configuration.denoisingSteps)
        actionScaling = try ActionScaling(scale: configuration.actionScale, offset: configuration.actionOffset)
        network = try FlowPolicyNetwork(configuration)
        optimizer = AdamW(learningRate: Float(configuration.learningRate), weightDecay: Float(configuration.weightDecay))
    }

    /// The number of scalar parameters.
    public var parameterCount: Int { network.parameterCount }

    // MARK: - Acting

    /// Runs the K-step chain: ODE steps for `.deterministic` (initial noise from seed 0), Flow-SDE steps with
    /// per-step means, stds and log-probs for `.stochastic`.
    public func act(on observation: Observation, sampling: PolicySampling) async throws -> PolicySample {
        try sample([observation], sampling: [sampling])[0]
    }

    /// Samples one chunk per observation in one batched pass (same chain per row as ``act(on:sampling:)``).
    public func sample(_ observations: [Observation], sampling: [PolicySampling]) throws -> [PolicySample] {
        try Validate.count(sampling.count, equals: observations.count, "sampling")
        guard !observations.isEmpty else { return [] }
        let width = configuration.chunkWidth, n = observations.count
        var rngs: [SeededGenerator] = []
        var etas: [Double] = []
        for s in sampling {
            switch s {
            case .deterministic: rngs.append(SeededGenerator(seed: 0)); etas.append(0)
            case .stochastic(let eta, let seed):
                try Validate.positive(eta, "eta")
                rngs.append(SeededGenerator(seed: seed)); etas.append(eta)
            }
        }
        let sdes = try etas.map { try FlowSDE(grid: grid, eta: $0) }
        var x: [[Float]] = (0..<n).map { r in (0..<width).map { _ in Float(rngs[r].nextGaussian()) } }
        var states = x.map { [$0] }
        var means = [[[Float]]](repeating: [], count: n), logProbs = [[[Float]]](repeating: [], count: n)
        var stds = [[Double]](repeating: [], count: n)
        try noGrad {
            let condition = try network.condition(observations)
            for k in 0..<grid.steps {
                let v = try network.velocity(x: try Tensor(x.flatMap { $0 }, shape: [n, width]),
                                             taus: [Double](repeating: grid.taus[k], count: n),
                                             condition: condition, conditionRows: Array(0..<n)).scalars
                for r in 0..<n {
                    let xr = x[r].map(Double.init), vr = v[(r * width)..<((r + 1) * width)].map(Double.init)
                    if etas[r] == 0 {
                        let next = try sdes[r].odeStep(x: xr, velocity: vr, at: k)
                        means[r].append(next.map(Float.init)); stds[r].append(0); logProbs[r].append([])
                        x[r] = next.map(Float.init)
                    } else {
                        let noise = (0..<width).map { _ in rngs[r].nextGaussian() }
                        let mean = FlowSDE.mean(x: xr, velocity: vr, sdes[r].coefficients[k])
                        let s = sdes[r].coefficients[k].std
                        // Round the sample first so stored state and scored sample are the same number.
                        let next = zip(mean, noise).map { Float($0 + s * $1) }
                        means[r].append(mean.map(Float.init)); stds[r].append(s)
                        logProbs[r].append(FlowSDE.logProbs(of: next.map(Double.init), mean: mean, std: s).map(Float.init))
                        x[r] = next
                    }
                    states[r].append(x[r])
                }
            }
        }
        return try (0..<n).map { r in
            let trace = try DenoisingTrace(grid: grid, eta: etas[r], states: states[r], means: means[r], stds: stds[r],
                                           logProbs: logProbs[r])
            return PolicySample(chunk: try chunk(fromNormalised: x[r]), trace: trace)
        }
    }


    /// The executed chunk (normalised units) for a flow sample.
    func chunk(fromNormalised u: [Float]) throws -> ActionChunk {
        try ActionChunk(steps: configuration.chunkSteps, maxEffectors: 1, values: u, validity: [true])
    }

    /// The normalised flow target of a demonstrated chunk.
    func normalised(_ chunk: ActionChunk) throws -> [Float] {
        guard chunk.steps == configuration.chunkSteps, chunk.maxEffectors == 1 else {
            throw ValidationError.shapeMismatch(argument: "target", expected: "\(configuration.chunkSteps) steps × 1 effector",
                                                actual: "\(chunk.steps) steps × \(chunk.maxEffectors) effectors")
        }
        let d = EndEffectorAction.dimension
        return chunk.values.enumerated().map { i, a in
            Float((Double(a) - configuration.actionOffset[i % d]) / configuration.actionScale[i % d])
        }
    }

    // MARK: - Policy gradient (TrainablePolicy)

    /// `μ_k = a_k·x_k + b_k·v_θ(x_k, τ_k)` at every stored state, batched over records and steps.
    public func transitionMeans(for records: [PolicyStepRecord]) async throws -> [[[Double]]] {
        let (v, coefficients) = try noGrad { try velocities(records, steps: Array(0..<grid.steps)) }
        let width = configuration.chunkWidth, K = grid.steps
        return records.indices.map { r in
            (0..<K).map { k in
                let row = r * K + k
                let c = coefficients[r][k]
                return (0..<width).map { i in
                    c.xCoefficient * Double(records[r].trace.states[k][i]) + c.vCoefficient * Double(v.scalars[row * width + i])
                }
            }
        }
    }

    /// Freezes (or unfreezes) the observation encoders for policy-gradient updates: RL inside a world model then
    /// cannot refit the image features to the model's rendering; imitation is unaffected.
    public func freezeObservationEncoders(_ frozen: Bool) { observationEncodersFrozen = frozen }

    /// The parameter paths a policy-gradient update may change.
    static func isActionHead(_ path: String) -> Bool { path.hasPrefix("velocityField.") }

    /// Chains `∂L/∂μ` through `μ = a·x + b·v` into the network (one backward pass per denoising step, which
    /// gives the per-step gradient norms), adds `weight ×` the anchor's flow-matching gradient, clips the sum and
    /// takes one AdamW step.
    public func applyMeansGradient(_ gradient: [[[Double]]], for records: [PolicyStepRecord],
                                   anchor: ImitationAnchor?) async throws -> PolicyUpdateReport {
        let (total, perStep, anchorLoss) = try policyGradient(gradient, for: records, anchor: anchor)
        let (clipped, norm) = clipGradientNorm(total, maxNorm: Float(configuration.maxGradientNorm))
        // A zero gradient carries no signal; skipping the step keeps weight decay from moving the weights.
        if norm > 0 {
            try optimizer.update(network, gradients: clipped)
            policyUpdates += 1
        }
        return PolicyUpdateReport(gradientNorm: Double(norm), learningRate: Double(optimizer.learningRate),
                                  perStepGradientNorms: perStep, anchorLoss: anchorLoss)
    }

    /// The unclipped parameter gradient of a policy-gradient step: the means gradient's, per denoising step and
    /// summed, plus `anchor.weight ×` the anchor's imitation gradient (noise drawn from the seed and the update count).
    func policyGradient(_ gradient: [[[Double]]], for records: [PolicyStepRecord], anchor: ImitationAnchor?) throws
        -> (total: [String: Tensor], perStep: [Double], anchorLoss: Double?) {
        try Validate.count(gradient.count, equals: records.count, "gradient")
        let K = grid.steps, width = configuration.chunkWidth
        for (r, g) in gradient.enumerated() {
            try Validate.count(g.count, equals: K, "gradient[\(r)]")
            for (k, row) in g.enumerated() { try Validate.count(row.count, equals: width, "gradient[\(r)][\(k)]") }
        }
        var total: [String: Tensor] = [:]
        var perStep: [Double] = []
        for k in 0..<K {
            let coefficients = try records.map { try FlowSDE(grid: $0.trace.grid, eta: $0.trace.eta).coefficients[k] }
            // ∂L/∂v = b · ∂L/∂μ (the x term does not depend on θ).
            let seed = records.indices.flatMap { r in gradient[r][k].map { Float($0 * coefficients[r].vCoefficient) } }
            let seedTensor = try Tensor(seed, shape: [records.count, width])
            let (_, grads) = try valueAndGrad(network) { _ in
                let (v, _) = try velocities(records, steps: [k])
                return try (v * seedTensor).sum()
            }
            let kept = observationEncodersFrozen ? grads.filter { Self.isActionHead($0.key) } : grads
            perStep.append(Self.norm(kept))
            for (key, g) in kept { total[key] = try total[key].map { try ($0 + g).detached() } ?? g }
        }
        guard let anchor else { return (total, perStep, nil) }
        var rng = SeededGenerator(seed: configuration.seed).fork(0xa7c0 &+ UInt64(policyUpdates))
        let (loss, grads) = try imitationLossAndGradients(anchor.examples, noise: &rng)
        let kept = observationEncodersFrozen ? grads.filter { Self.isActionHead($0.key) } : grads
        for (key, g) in kept {
            let weighted = (g * Float(anchor.weight)).detached()
            total[key] = try total[key].map { try ($0 + weighted).detached() } ?? weighted
        }
        return (total, perStep, loss)
    }

    /// Velocities at the stored states of `steps` for every record: rows ordered record-major, then step.
    func velocities(_ records: [PolicyStepRecord], steps: [Int]) throws -> (Tensor, [[StepCoefficients]]) {
        let width = configuration.chunkWidth
        var x: [Float] = [], taus: [Double] = [], rows: [Int] = []
        var coefficients: [[StepCoefficients]] = []
        for (r, record) in records.enumerated() {
            try Validate.count(record.trace.steps, equals: grid.steps, "records[\(r)].trace.steps")
            try Validate.count(record.trace.states[0].count, equals: width, "records[\(r)].trace width")
            let sde = try FlowSDE(grid: record.trace.grid, eta: record.trace.eta)
            coefficients.append(sde.coefficients)
            for k in steps {
                x += record.trace.states[k]
                taus.append(record.trace.grid.taus[k])
                rows.append(r)
            }
        }
        let condition = try network.condition(records.map(\.observation))
        let v = try network.velocity(x: try Tensor(x, shape: [rows.count, width]), taus: taus, condition: condition,
                                     conditionRows: rows)
        return (v, coefficients)
    }

    static func norm(_ gradients: [String: Tensor]) -> Double {
        var total = 0.0
        for g in gradients.values { for x in g.scalars { total += Double(x) * Double(x) } }
        return total.squareRoot()
    }

    // MARK: - Imitation (flow matching)

    /// One AdamW step on the conditional flow-matching loss `‖v_θ(x_τ, τ) − (ε − u)‖²` with
    /// `x_τ = τ·ε + (1 − τ)·u`, τ ~ U(0, 1) and ε ~ N(0, I) drawn from the seed and the step count.
    public func imitationStep(on examples: [DemonstrationExample]) async throws -> ImitationStepReport {
        guard !examples.isEmpty else { throw ValidationError.empty(argument: "examples") }
        var rng = SeededGenerator(seed: configuration.seed).fork(0x5f7 &+ UInt64(imitationSteps))
        let (loss, grads) = try imitationLossAndGradients(examples, noise: &rng)
        let (clipped, norm) = clipGradientNorm(grads, maxNorm: Float(configuration.maxGradientNorm))
        try optimizer.update(network, gradients: clipped)
        imitationSteps += 1
        return ImitationStepReport(loss: loss, gradientNorm: Double(norm))
    }

    /// The flow-matching loss of `examples` and its parameter gradient, with τ and ε drawn from `noise`.
    func imitationLossAndGradients(_ examples: [DemonstrationExample], noise rng: inout SeededGenerator) throws
        -> (loss: Double, gradients: [String: Tensor]) {
        let width = configuration.chunkWidth, n = examples.count
        var xs: [Float] = [], targets: [Float] = [], taus: [Double] = []
        for example in examples {
            let u = try normalised(example.target)
            let tau = rng.nextUniform()
            taus.append(tau)
            for i in 0..<width {
                let epsilon = Float(rng.nextGaussian())
                xs.append(Float(tau) * epsilon + Float(1 - tau) * u[i])
                targets.append(epsilon - u[i])
            }
        }
        let x = try Tensor(xs, shape: [n, width]), target = try Tensor(targets, shape: [n, width])
        let observations = examples.map(\.observation)
        let (loss, grads) = try valueAndGrad(network) { net in
            let condition = try net.condition(observations)
            return try net.velocity(x: x, taus: taus, condition: condition, conditionRows: Array(0..<n)).mseLoss(target)
        }
        return (Double(try loss.item()), grads)
    }

    /// Sets the learning rate of the next optimizer steps (from a schedule).
    /// - Throws: ``ValidationError`` if it is not positive.
    public func setLearningRate(_ rate: Double) throws {
        try Validate.positive(rate, "learningRate")
        optimizer.learningRate = Float(rate)
    }
}

