import ProphRLCore

/// A 3-D convolution layer over channels-last video `[B, D, H, W, Cin]` (weights in PyTorch's
/// `[Cout, Cin, kD, kH, kW]` layout), optionally causal in time.
public final class Conv3d: Module, UnaryLayer {
    /// `[Cout, Cin, kD, kH, kW]`.
    public let weight: Parameter
    /// `[Cout]` or nil.
    public let bias: Parameter?
    /// Strides (depth, height, width).
    public let stride: (Int, Int, Int)
    /// Zero padding (before, after) per axis.
    public let padding: [(Int, Int)]
    /// Pad time causally (`kD − 1` before, none after).
    public let causalTemporal: Bool

    /// Creates the layer with PyTorch's default init `U(−1/√fanIn, 1/√fanIn)`.
    /// - Throws: ``TensorError`` for non-positive sizes.
    public init(_ inChannels: Int, _ outChannels: Int, kernel: (Int, Int, Int), stride: (Int, Int, Int) = (1, 1, 1),
                padding: [(Int, Int)] = [(0, 0), (0, 0), (0, 0)], causalTemporal: Bool = false, bias: Bool = true,
                rng: inout SeededGenerator) throws {
        let fanIn = inChannels * kernel.0 * kernel.1 * kernel.2
        guard fanIn > 0, outChannels > 0 else {
            throw TensorError.invalidArgument(op: "Conv3d", argument: "sizes", reason: "expected positive channels and kernel")
        }
        let bound = 1 / Float(fanIn).squareRoot()
        weight = Parameter(try Tensor.uniform([outChannels, inChannels, kernel.0, kernel.1, kernel.2], low: -bound, high: bound, using: &rng))
        self.bias = bias ? Parameter(try Tensor.uniform([outChannels], low: -bound, high: bound, using: &rng)) : nil
        self.stride = stride
        self.padding = padding
        self.causalTemporal = causalTemporal
    }

    /// Convolves `x`.
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try x.conv3d(weight.value, bias: bias?.value, stride: stride, padding: padding, causalTemporal: causalTemporal)
    }
}

/// A 2-D convolution layer over channels-last images `[B, H, W, Cin]` (weights `[Cout, Cin, kH, kW]`).
public final class Conv2d: Module, UnaryLayer {
    /// `[Cout, Cin, kH, kW]`.
    public let weight: Parameter
    /// `[Cout]` or nil.
    public let bias: Parameter?
    /// Strides (height, width).
    public let stride: (Int, Int)
    /// Zero padding (before, after) per axis.
    public let padding: [(Int, Int)]

    /// Creates the layer with PyTorch's default init.
    /// - Throws: ``TensorError`` for non-positive sizes.
    public init(_ inChannels: Int, _ outChannels: Int, kernel: (Int, Int), stride: (Int, Int) = (1, 1),
                padding: [(Int, Int)] = [(0, 0), (0, 0)], bias: Bool = true, rng: inout SeededGenerator) throws {
        let fanIn = inChannels * kernel.0 * kernel.1
        guard fanIn > 0, outChannels > 0 else {
            throw TensorError.invalidArgument(op: "Conv2d", argument: "sizes", reason: "expected positive channels and kernel")
        }
        let bound = 1 / Float(fanIn).squareRoot()
        weight = Parameter(try Tensor.uniform([outChannels, inChannels, kernel.0, kernel.1], low: -bound, high: bound, using: &rng))
        self.bias = bias ? Parameter(try Tensor.uniform([outChannels], low: -bound, high: bound, using: &rng)) : nil
        self.stride = stride
        self.padding = padding
    }

    /// Convolves `x`.
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try x.conv2d(weight.value, bias: bias?.value, stride: stride, padding: padding)
    }
}
