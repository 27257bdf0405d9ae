// Linear interpolation of channels-last images and videos (bilinear 2-D, trilinear 3-D) with
// PyTorch's `align_corners=False` sampling: output index o reads the source coordinate
// `(o + 0.5)·(in/out) − 0.5`, clamped below at 0, between its two neighbours (the upper one clamped to
// the last index). Forward and backward are the same sparse linear map and its transpose.

/// The two source indices and weights of every output index along one axis.
struct LinearSamplingAxis: Sendable {
    let lower: [Int], upper: [Int]
    let upperWeight: [Float]

    init(input: Int, output: Int) {
        let scale = Double(input) / Double(output)
        var lower = [Int](), upper = [Int](), weight = [Float]()
        for o in 0..<output {
            let source = Swift.max((Double(o) + 0.5) * scale - 0.5, 0)
            let i0 = Swift.min(Int(source), input - 1)
            lower.append(i0)
            upper.append(Swift.min(i0 + 1, input - 1))
            weight.append(Float(source - Double(i0)))
        }
        (self.lower, self.upper, upperWeight) = (lower, upper, weight)
    }
}

extension Tensor {
    /// Bilinear resize of `[B, H, W, C]` to `[B, size.0, size.1, C]` (PyTorch `interpolate(mode="bilinear",
    /// align_corners=False)` on the NCHW equivalent; an integer scale factor `f` is `size = (H·f, W·f)`).
    /// - Throws: ``TensorError`` for a non-4-D input, an empty input or a size below 1.
    public func upsampleBilinear(size: (Int, Int)) throws -> Tensor {
        guard rank == 4 else {
            throw TensorError.shapeMismatch(op: "upsampleBilinear", argument: "self", expected: "[B, H, W, C]", actual: "\(shape)")
        }
        let x = try reshaped([shape[0], 1, shape[1], shape[2], shape[3]])
        let y = try x.linearResample(size: (1, size.0, size.1), op: "upsampleBilinear")
        return try y.reshaped([shape[0], size.0, size.1, shape[3]])
    }

    /// Trilinear resize of `[B, D, H, W, C]` to `[B, size.0, size.1, size.2, C]` (PyTorch
    /// `interpolate(mode="trilinear", align_corners=False)` on the NCDHW equivalent).
    /// - Throws: ``TensorError`` for a non-5-D input, an empty input or a size below 1.
    public func upsampleTrilinear(size: (Int, Int, Int)) throws -> Tensor {
        guard rank == 5 else {
            throw TensorError.shapeMismatch(op: "upsampleTrilinear", argument: "self", expected: "[B, D, H, W, C]", actual: "\(shape)")
        }
        return try linearResample(size: size, op: "upsampleTrilinear")
    }

    /// The separable linear resampling of `[B, D, H, W, C]` (an axis kept at its size is the identity).
    private func linearResample(size: (Int, Int, Int), op: String) throws -> Tensor {
        let (b, d, h, w, c) = (shape[0], shape[1], shape[2], shape[3], shape[4])
        guard size.0 >= 1, size.1 >= 1, size.2 >= 1, d >= 1, h >= 1, w >= 1 else {
            throw TensorError.invalidArgument(op: op, argument: "size", reason: "expected sizes >= 1 and a non-empty input, got \(size) for \(shape)")
        }
        let axes = [LinearSamplingAxis(input: d, output: size.0), LinearSamplingAxis(input: h, output: size.1),
                    LinearSamplingAxis(input: w, output: size.2)]
        let outShape = [b, size.0, size.1, size.2, c]
        let inShape = [b, d, h, w, c]
        let outCount = Shape.count(outShape)
        var out = [Float](repeating: 0, count: outCount)
        Tensor.forEachLinearTap(axes, inShape: inShape, outShape: outShape) { o, i, weight in out[o] += weight * scalars[i] }
        let total = count
        return Tensor.make(op, out, shape: outShape, inputs: [self]) { g, _ in
            var dx = [Float](repeating: 0, count: total)
            Tensor.forEachLinearTap(axes, inShape: inShape, outShape: outShape) { o, i, weight in dx[i] += weight * g[o] }
            return [dx]
        }
    }

    /// Calls `body(outputIndex, inputIndex, weight)` for the eight (or fewer distinct) corners of every
    /// output element, channels innermost; corners are visited in a fixed order.
    private static func forEachLinearTap(_ axes: [LinearSamplingAxis], inShape: [Int], outShape: [Int],
                                         _ body: (Int, Int, Float) -> Void) {
        let (b, d, h, w, c) = (inShape[0], inShape[1], inShape[2], inShape[3], inShape[4])
        let (od, oh, ow) = (outShape[1], outShape[2], outShape[3])
        for bi in 0..<b { for z in 0..<od { for y in 0..<oh { for x in 0..<ow {
            let outBase = (((bi * od + z) * oh + y) * ow + x) * c
            let wz = axes[0].upperWeight[z], wy = axes[1].upperWeight[y], wx = axes[2].upperWeight[x]
            for (iz, fz) in [(axes[0].lower[z], 1 - wz), (axes[0].upper[z], wz)] where fz != 0 {
                for (iy, fy) in [(axes[1].lower[y], 1 - wy), (axes[1].upper[y], wy)] where fy != 0 {
                    for (ix, fx) in [(axes[2].lower[x], 1 - wx), (axes[2].upper[x], wx)] where fx != 0 {
                        let inBase = (((bi * d + iz) * h + iy) * w + ix) * c, weight = fz * fy * fx
                        for ch in 0..<c { body(outBase + ch, inBase + ch, weight) }
                    }
                }
            }
        }}}}
    }
}
