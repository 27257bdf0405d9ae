import Foundation
import ProphRLCore
import TensorEngine

/// flow-head-grpo: an MLP action head (512-d observation feature + 56-d noisy chunk + 128-d timestep
/// embedding → 3 × 512 SiLU → 56) at batch 256. (i) K = 10 Flow-SDE sampling steps with per-step
/// log-probs (no gradient); (ii) recomputing the stored chain's log-probs in one batched forward,
/// the FA-GRPO loss, backward and an AdamW step.
struct FlowHeadBench {
    static let batch = 256, observation = 512, action = 56, timeEmbedding = 128, hidden = 512, steps = 10
    let head: MLP
    let sde: FlowSDE
    let observations: Tensor
    let optimizer = AdamW(learningRate: 1e-5, weightDecay: 0)

    init() throws {
        var rng = SeededGenerator(seed: 11)
        head = try MLP([Self.observation + Self.action + Self.timeEmbedding, Self.hidden, Self.hidden, Self.hidden, Self.action],
                       activation: .silu, rng: &rng)
        sde = try FlowSDE(grid: .uniform(steps: Self.steps), eta: 0.5)
        observations = try Tensor.normal([Self.batch, Self.observation], using: &rng)
    }

    /// Sinusoidal embedding of time `tau` for every row: `[rows, 128]`.
    static func timeFeatures(_ tau: Double, rows: Int) throws -> Tensor {
        let half = timeEmbedding / 2
        var row = [Float](repeating: 0, count: timeEmbedding)
        for i in 0..<half {
            let frequency = exp(-log(10_000.0) * Double(i) / Double(half))
            row[i] = Float(sin(1000 * tau * frequency))
            row[half + i] = Float(cos(1000 * tau * frequency))
        }
        return try Tensor(Array([[Float]](repeating: row, count: rows).joined()), shape: [rows, timeEmbedding])
    }

    /// Per-element Gaussian log-densities of `sample` under `N(mean, std²)` (std per row block).
    static func logProb(_ sample: Tensor, mean: Tensor, std: Tensor) throws -> Tensor {
        let r = try sample - mean
        return try (r.square() / (2 * std.square())) * -1 - std.log() - Float(FlowSDE.halfLogTwoPi)
    }

    /// The stored chain of one rollout: states `x_0 … x_K`, per-step log-probs `[K, B, 56]`.
    struct Chain { var states: [Tensor]; var logProbs: Tensor }

    /// (i) K sampling steps without gradient.
    func sample(seed: UInt64) throws -> Chain {
        var rng = SeededGenerator(seed: seed)
        return try noGrad {
            var x = try Tensor.normal([Self.batch, Self.action], using: &rng)
            var states = [x], logProbs: [Tensor] = []
            for k in 0..<Self.steps {
                let c = sde.coefficients[k]
                let input = try Tensor.concat([observations, x, Self.timeFeatures(sde.grid.taus[k], rows: Self.batch)], axis: 1)
                let velocity = try head(input)
                let mean = try x * Float(c.xCoefficient) + velocity * Float(c.vCoefficient)
                let next = try mean + Tensor.normal([Self.batch, Self.action], using: &rng) * Float(c.std)
                logProbs.append(try Self.logProb(next, mean: mean, std: Tensor(scalar: Float(c.std))))
                states.append(next)
                x = next
            }
            return Chain(states: states, logProbs: try Tensor.concat(logProbs, axis: 0).reshaped([Self.steps, Self.batch, Self.action]))
        }
    }

    /// (ii) Batched log-prob recomputation, FA-GRPO loss, backward, AdamW.
    func update(_ chain: Chain, advantages: Tensor, epsilon: Float = 0.2) throws -> Float {
        let (k, b) = (Self.steps, Self.batch)
        let inputs = try Tensor.concat(chain.states.prefix(k).map { $0 }, axis: 0)                 // [K·B, 56]
        let targets = try Tensor.concat(Array(chain.states.dropFirst()), axis: 0)                  // [K·B, 56]
        let time = try Tensor.concat((0..<k).map { try Self.timeFeatures(sde.grid.taus[$0], rows: b) }, axis: 0)
        let obs = try observations.reshaped([1, b, Self.observation]).broadcast(to: [k, b, Self.observation]).reshaped([k * b, Self.observation])
        let features = try Tensor.concat([obs, inputs, time], axis: 1)
        let a = try Tensor(sde.coefficients.map { Float($0.xCoefficient) }, shape: [k, 1, 1])
        let bv = try Tensor(sde.coefficients.map { Float($0.vCoefficient) }, shape: [k, 1, 1])
        let std = try Tensor(sde.coefficients.map { Float($0.std) }, shape: [k, 1, 1])
        let x3 = try inputs.reshaped([k, b, Self.action]), y3 = try targets.reshaped([k, b, Self.action])
        let (loss, grads) = try valueAndGrad(head) { head in
            let velocity = try head(features).reshaped([k, b, Self.action])
            let mean = try x3 * a + velocity * bv
            let newLogProbs = try Self.logProb(y3, mean: mean, std: std)
            let logRatio = try (newLogProbs - chain.logProbs).sum(axis: 0).clamped(min: -20, max: 20)   // [B, 56]
            let ratio = logRatio.exp()
            let surrogate = try (ratio * advantages).minimum(ratio.clamped(min: 1 - epsilon, max: 1 + epsilon) * advantages)
            return try -surrogate.mean()
        }
        try optimizer.update(head, gradients: grads)
        return try loss.item()
    }

    static func run(repeats: Int) throws -> [BenchResult] {
        let bench = try FlowHeadBench()
        let chain = try bench.sample(seed: 1)
        let advantages = try Tensor.normal([batch, 1], seed: 2)
        let sampling = try Timing.milliseconds(repeats: repeats) { _ = try bench.sample(seed: 3) }
        let update = try Timing.milliseconds(repeats: repeats) { _ = try bench.update(chain, advantages: advantages) }
        return [BenchResult(workload: "flow-head-grpo", phase: "sample-K10", sampling),
                BenchResult(workload: "flow-head-grpo", phase: "logprob-loss-backward-adamw", update)]
    }
}
