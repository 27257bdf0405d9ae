// Patchify / unpatchify of channels-last video latents, as reshape + permute (their backward is the
// inverse permutation, so no new derivative code).

extension Tensor {
    /// Splits a latent `[B, F, H, W, C]` into non-overlapping `p×p` spatial patches:
    /// `[B, F·(H/p)·(W/p), p·p·C]`, tokens in (frame, row, column) order.
    /// - Throws: ``TensorError`` if the latent is not 5-D or `H`, `W` are not multiples of `p`.
    public func patchify(_ p: Int) throws -> Tensor {
        guard rank == 5, p >= 1, shape[2] % p == 0, shape[3] % p == 0 else {
            throw TensorError.shapeMismatch(op: "patchify", argument: "self", expected: "[B, F, H, W, C] with H, W multiples of \(p)",
                                            actual: "\(shape)")
        }
        let (b, f, h, w, c) = (shape[0], shape[1], shape[2], shape[3], shape[4])
        return try reshaped([b, f, h / p, p, w / p, p, c]).permuted([0, 1, 2, 4, 3, 5, 6])
            .reshaped([b, f * (h / p) * (w / p), p * p * c])
    }

    /// The inverse of ``patchify(_:)``: tokens `[B, F·(H/p)·(W/p), p·p·C]` back to `[B, F, H, W, C]`.
    /// - Throws: ``TensorError`` if the token shape does not fit the grid.
    public func unpatchify(_ p: Int, frames: Int, height: Int, width: Int, channels: Int) throws -> Tensor {
        guard rank == 3, p >= 1, height % p == 0, width % p == 0,
              shape[1] == frames * (height / p) * (width / p), shape[2] == p * p * channels else {
            throw TensorError.shapeMismatch(op: "unpatchify", argument: "self",
                                            expected: "[B, \(frames * (height / Swift.max(p, 1)) * (width / Swift.max(p, 1))), \(p * p * channels)]",
                                            actual: "\(shape)")
        }
        return try reshaped([shape[0], frames, height / p, width / p, p, p, channels]).permuted([0, 1, 2, 4, 3, 5, 6])
            .reshaped([shape[0], frames, height, width, channels])
    }
}
