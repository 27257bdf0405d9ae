// Resampling of channels-last video tensors [B, D, H, W, C]: nearest-neighbour upsampling and
// non-overlapping 3-D average pooling, each the other's adjoint up to a constant.

extension Tensor {
    /// Nearest-neighbour upsampling of `[B, D, H, W, C]` by integer factors (depth, height, width).
    /// - Throws: ``TensorError`` for a non-5-D input or a factor below 1.
    public func upsampleNearest(_ factors: (Int, Int, Int)) throws -> Tensor {
        guard rank == 5, factors.0 >= 1, factors.1 >= 1, factors.2 >= 1 else {
            throw TensorError.invalidArgument(op: "upsampleNearest", argument: "self/factors",
                                              reason: "expected [B, D, H, W, C] and factors >= 1, got \(shape), \(factors)")
        }
        let (b, d, h, w, c) = (shape[0], shape[1], shape[2], shape[3], shape[4])
        let (fd, fh, fw) = factors
        let outShape = [b, d * fd, h * fh, w * fw, c]
        // Read each output position from its source: a strided view of a 8-D reshape.
        let source = Shape.strides([b, d, 1, h, 1, w, 1, c])
        let viewShape = [b, d, fd, h, fh, w, fw, c]
        let strides = (0..<8).map { [2, 4, 6].contains($0) ? 0 : source[$0] }
        let out = Kernels.stridedCopy(scalars, strides: strides, outShape: viewShape)
        return Tensor.make("upsampleNearest", out, shape: outShape, inputs: [self]) { g, _ in
            [Kernels.sumToShape(g, from: viewShape, to: [b, d, 1, h, 1, w, 1, c])]  // same order as inShape
        }
    }

    /// Average pooling of `[B, D, H, W, C]` over non-overlapping `kernel` blocks (depth, height, width).
    /// - Throws: ``TensorError`` unless the extents are multiples of the kernel.
    public func avgPool3d(_ kernel: (Int, Int, Int)) throws -> Tensor {
        guard rank == 5, kernel.0 >= 1, kernel.1 >= 1, kernel.2 >= 1,
              shape[1] % kernel.0 == 0, shape[2] % kernel.1 == 0, shape[3] % kernel.2 == 0 else {
            throw TensorError.invalidArgument(op: "avgPool3d", argument: "kernel",
                                              reason: "expected [B, D, H, W, C] with extents divisible by \(kernel), got \(shape)")
        }
        let (b, d, h, w, c) = (shape[0], shape[1], shape[2], shape[3], shape[4])
        let (kd, kh, kw) = kernel
        let blocks = try reshaped([b, d / kd, kd, h / kh, kh, w / kw, kw, c])
        return try blocks.mean(axes: [2, 4, 6])
    }
}
