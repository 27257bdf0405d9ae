import ProphRLCore

/// A fake ``ActionPolicy`` whose flow head is the exact velocity field of a fixed target chunk `a`:
/// `v(x, τ) = (x − a)/τ`, so the ODE lands exactly on `a` and Flow-SDE samples scatter around it with real
/// traces (means, stds, log-probs) for RL tests.
public struct LinearFlowPolicy: ActionPolicy {
    /// The chunk the flow transports noise to.
    public let target: ActionChunk
    /// The denoising grid.
    public let grid: TimeGrid

    /// Creates the policy.
    public init(target: ActionChunk, grid: TimeGrid) {
        self.target = target
        self.grid = grid
    }

    /// The target's layout.
    public var chunkLayout: ChunkLayout { ChunkLayout(steps: target.steps, maxEffectors: target.maxEffectors) }

    /// Runs the chain from seeded noise; deterministic sampling uses seed 0 for the initial noise.
    public func act(on observation: Observation, sampling: PolicySampling) async throws -> PolicySample {
        let a = target.flat.map(Double.init)
        let (eta, seed): (Double, UInt64) = switch sampling {
        case .deterministic: (0, 0)
        case .stochastic(let eta, let seed): (eta, seed)
        }
        var rng = SeededGenerator(seed: seed)
        var x = a.map { _ in rng.nextGaussian() }
        let sde = try FlowSDE(grid: grid, eta: eta)
        var states = [x.map(Float.init)], means: [[Float]] = [], stds: [Double] = [], logProbs: [[Float]] = []
        for k in 0..<grid.steps {
            let tau = grid.taus[k]
            let v = zip(x, a).map { ($0 - $1) / tau }
            if eta == 0 {
                let next = try sde.odeStep(x: x, velocity: v, at: k)
                means.append(next.map(Float.init)); stds.append(0); logProbs.append([])
                x = next
            } else {
                let step = try sde.step(x: x, velocity: v, noise: a.map { _ in rng.nextGaussian() }, at: k)
                means.append(step.mean.map(Float.init)); stds.append(step.std)
                logProbs.append(step.logProbs.map(Float.init))
                x = step.next
            }
            states.append(x.map(Float.init))
        }
        let chunk = try ActionChunk(steps: target.steps, maxEffectors: target.maxEffectors,
                                    values: x.map(Float.init), validity: target.validity)
        let trace = try DenoisingTrace(grid: grid, eta: eta, states: states, means: means, stds: stds, logProbs: logProbs)
        return PolicySample(chunk: chunk, trace: trace)
    }
}
