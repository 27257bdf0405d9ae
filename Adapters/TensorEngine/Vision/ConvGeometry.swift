/// The geometry of a channels-last 3-D convolution (2-D is the depth-1 case): input
/// `[B, D, H, W, Cin]`, weight `[Cout, Cin, kD, kH, kW]` (PyTorch's layout), output
/// `[B, Do, Ho, Wo, Cout]`, with per-axis stride and (before, after) zero padding.
struct ConvGeometry: Sendable {
    /// Batch, input depth/height/width and channels.
    let batch: Int, depth: Int, height: Int, width: Int, inChannels: Int
    /// Kernel extents (depth, height, width).
    let kernel: (Int, Int, Int)
    /// Strides (depth, height, width).
    let stride: (Int, Int, Int)
    /// Padding before each axis (depth, height, width); padding after is folded into the output size.
    let padBefore: (Int, Int, Int)
    /// Output extents (depth, height, width).
    let output: (Int, Int, Int)

    /// Derives the output size.
    /// - Throws: ``TensorError`` for a non-positive kernel or stride, negative padding or an empty output.
    init(input: [Int], kernel: (Int, Int, Int), stride: (Int, Int, Int), padding: [(Int, Int)], op: String) throws {
        guard [kernel.0, kernel.1, kernel.2, stride.0, stride.1, stride.2].allSatisfy({ $0 >= 1 }),
              padding.count == 3, padding.allSatisfy({ $0.0 >= 0 && $0.1 >= 0 }) else {
            throw TensorError.invalidArgument(op: op, argument: "kernel/stride/padding",
                                              reason: "expected kernel, stride >= 1 and padding >= 0, got \(kernel), \(stride), \(padding)")
        }
        (batch, depth, height, width, inChannels) = (input[0], input[1], input[2], input[3], input[4])
        self.kernel = kernel
        self.stride = stride
        padBefore = (padding[0].0, padding[1].0, padding[2].0)
        func out(_ n: Int, _ k: Int, _ s: Int, _ p: (Int, Int)) -> Int { (n + p.0 + p.1 - k) / s + 1 }
        output = (out(depth, kernel.0, stride.0, padding[0]), out(height, kernel.1, stride.1, padding[1]),
                  out(width, kernel.2, stride.2, padding[2]))
        guard output.0 >= 1, output.1 >= 1, output.2 >= 1,
              depth + padding[0].0 + padding[0].1 >= kernel.0, height + padding[1].0 + padding[1].1 >= kernel.1,
              width + padding[2].0 + padding[2].1 >= kernel.2 else {
            throw TensorError.invalidArgument(op: op, argument: "input", reason: "input \(input) is smaller than the kernel \(kernel) after padding")
        }
    }

    /// Rows of the column matrix (output positions).
    var rows: Int { batch * output.0 * output.1 * output.2 }
    /// Columns of the column matrix (`Cin·kD·kH·kW`, PyTorch's weight flattening order).
    var columns: Int { inChannels * kernel.0 * kernel.1 * kernel.2 }

    /// Calls `body(row, column, inputIndex)` for every in-bounds (output position, kernel tap) pair.
    @inline(__always)
    func forEachTap(_ body: (Int, Int, Int) -> Void) {
        let (kd, kh, kw) = kernel
        for b in 0..<batch {
            for od in 0..<output.0 {
                for oh in 0..<output.1 {
                    for ow in 0..<output.2 {
                        let row = ((b * output.0 + od) * output.1 + oh) * output.2 + ow
                        for dz in 0..<kd {
                            let iz = od * stride.0 - padBefore.0 + dz
                            if iz < 0 || iz >= depth { continue }
                            for dy in 0..<kh {
                                let iy = oh * stride.1 - padBefore.1 + dy
                                if iy < 0 || iy >= height { continue }
                                for dx in 0..<kw {
                                    let ix = ow * stride.2 - padBefore.2 + dx
                                    if ix < 0 || ix >= width { continue }
                                    let base = (((b * depth + iz) * height + iy) * width + ix) * inChannels
                                    let tap = (dz * kh + dy) * kw + dx
                                    for c in 0..<inChannels { body(row, c * kd * kh * kw + tap, base + c) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
