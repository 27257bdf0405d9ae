import ProphRLCore
import TensorEngine

/// Sharpens decoded frames with a real reference frame of the same scene (docs/world-model.md, "reference
/// decoder"): a two-scale conv net sees the decoded frame and the reference side by side and adds a correction.
/// What did not move can come back at the reference's detail; what moved keeps the decoder's content.
///
/// The latent contract is untouched (the refiner only reads decoder output), so a trained DiT keeps working,
/// and the output layer starts at zero, so an untrained refiner returns the plain decoder's frames exactly.
final class ReferenceRefiner: Module {
    let inConv: Conv2d
    let down: Conv2d
    let middle: Conv2d
    let fuse: Conv2d
    let out: Conv2d

    init(width: Int, rng: inout SeededGenerator) throws {
        try Validate.atLeastOne(width, "referenceRefinerWidth")
        let pad = [(1, 1), (1, 1)]
        inConv = try Conv2d(6, width, kernel: (3, 3), padding: pad, rng: &rng)
        down = try Conv2d(width, width, kernel: (3, 3), stride: (2, 2), padding: pad, rng: &rng)
        middle = try Conv2d(width, width, kernel: (3, 3), padding: pad, rng: &rng)
        fuse = try Conv2d(2 * width, width, kernel: (3, 3), padding: pad, rng: &rng)
        out = try Conv2d(width, 3, kernel: (3, 3), padding: pad, rng: &rng)
        out.weight.value = try Tensor.zeros(out.weight.value.shape)
        if let bias = out.bias { bias.value = try Tensor.zeros(bias.value.shape) }
    }

    /// `decoded` plus the learned correction; both inputs are `[N, H, W, 3]` (H, W even), one reference per frame.
    func callAsFunction(decoded: Tensor, reference: Tensor) throws -> Tensor {
        let fine = try inConv(Tensor.concat([decoded, reference], axis: 3)).silu()
        let coarse = try middle(down(fine).silu()).silu()
        let merged = try fuse(Tensor.concat([fine, CausalVideoAutoencoder.upsample(coarse)], axis: 3)).silu()
        return try decoded + out(merged)
    }
}
