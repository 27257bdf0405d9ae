import Foundation
import ProphRLCore
import TensorEngine

/// The rectified-flow training objective with frame-replace conditioning (world-model.md §6).
public enum RectifiedFlow {
    /// The timestep given to the clean conditioning latent: t of σ = 1e-4.
    public static let conditioningTimestep: Float = Float(1e-4 / (1 + 1e-4))

    /// One training batch's inputs.
    public struct Batch {
        /// Clean normalised latents `[B, F, h, w, C]`; frame 0 is the conditioning latent.
        public var latents: Tensor
        /// Action-frame latents `[B, F, h, w, C]` or nil.
        public var actionFrameLatents: Tensor?
        /// Flattened scaled actions `[B, T·A]`.
        public var actions: Tensor
        /// History latents `[B, 15, h, w, C]` or nil.
        public var history: Tensor?

        /// Creates a batch.
        public init(latents: Tensor, actionFrameLatents: Tensor? = nil, actions: Tensor, history: Tensor?) {
            self.latents = latents
            self.actionFrameLatents = actionFrameLatents
            self.actions = actions
            self.history = history
        }
    }

    /// Logit-normal t shifted by ½·ln F: `sigmoid(n + ½ ln F)`, `n ~ N(0, 1)`.
    public static func sampleTimestep(latentFrames: Int, using rng: inout SeededGenerator) -> Float {
        let n = rng.nextGaussian()
        return Float(1 / (1 + exp(-(n + 0.5 * log(Double(latentFrames))))))
    }

    /// The velocity loss: mean over non-conditioning latent elements of `(F − (ε − x₀))²`, with
    /// `u = (1 − t)·x₀ + t·ε`, frame 0 replaced by the clean latent and given a near-zero timestep.
    /// `fixedTimestep` replaces the sampled t (tests and evaluation).
    public static func loss(_ model: ProphetDenoiser, batch: Batch, using rng: inout SeededGenerator,
                            fixedTimestep: Float? = nil) throws -> Tensor {
        let x0 = batch.latents
        let (b, f) = (x0.shape[0], x0.shape[1]), perFrame = x0.count / (b * f), perSample = f * perFrame
        let noise = try Tensor.normal(x0.shape, using: &rng)
        var u = x0.scalars, target = [Float](repeating: 0, count: x0.count), timesteps = [Float](repeating: 0, count: b * f)
        for bi in 0..<b {
            let t = fixedTimestep ?? sampleTimestep(latentFrames: f, using: &rng)
            for fi in 0..<f { timesteps[bi * f + fi] = fi == 0 ? conditioningTimestep : t }
            for i in (bi * perSample + perFrame)..<((bi + 1) * perSample) {
                u[i] = (1 - t) * x0.scalars[i] + t * noise.scalars[i]
                target[i] = noise.scalars[i] - x0.scalars[i]
            }
        }
        let velocity = try model(latent: Tensor(u, shape: x0.shape), actionFrameLatent: batch.actionFrameLatents,
                                 timesteps: Tensor(timesteps, shape: [b, f]), actions: batch.actions, history: batch.history)
        let predicted = try velocity.slice(axis: 1, 1..<f)
        let expected = try Tensor(target, shape: x0.shape).slice(axis: 1, 1..<f)
        return try predicted.mseLoss(expected)
    }
}
