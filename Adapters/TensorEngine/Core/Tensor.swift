import ProphRLCore

/// A dense Float32 tensor: contiguous row-major values with a shape, and (when gradients are being
/// recorded) the autodiff node that produced it.
///
/// Tensors are values: operations return new tensors and never mutate their inputs. Operations that
/// can fail on shapes throw ``TensorError``.
///
/// ```swift
/// let w = try Tensor.normal([3, 2], seed: 1).requiringGrad()
/// let x = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
/// let loss = try x.matmul(w).tanh().sum()
/// loss.backward()
/// let dw = w.grad            // [3, 2]
/// ```
public struct Tensor: Sendable, CustomStringConvertible {
    /// The dimensions, outermost first; `[]` is a scalar.
    public let shape: [Int]
    /// The values in row-major order (`shape.product` of them).
    public let scalars: [Float]
    /// The autodiff node, present when this tensor takes part in a gradient computation.
    public let node: GradNode?

    /// Creates a tensor from values and a shape.
    /// - Throws: ``TensorError`` if a dimension is negative or `scalars.count` differs from the shape's product.
    public init(_ scalars: [Float], shape: [Int]) throws {
        let count = try Shape.validatedCount(shape, op: "Tensor.init")
        guard count == scalars.count else {
            throw TensorError.shapeMismatch(op: "Tensor.init", argument: "scalars",
                                            expected: "\(count) values for shape \(shape)",
                                            actual: "\(scalars.count) values")
        }
        self.init(unchecked: scalars, shape: shape, node: nil)
    }

    /// Creates a rank-0 tensor holding `value`.
    public init(scalar value: Float) {
        self.init(unchecked: [value], shape: [], node: nil)
    }

    /// Creates a tensor without checking that the count matches (internal: ops guarantee it).
    init(unchecked scalars: [Float], shape: [Int], node: GradNode? = nil) {
        self.scalars = scalars
        self.shape = shape
        self.node = node
    }

    // MARK: - Properties

    /// The number of elements.
    public var count: Int { scalars.count }
    /// The number of dimensions.
    public var rank: Int { shape.count }
    /// True when this tensor takes part in a gradient computation.
    public var requiresGrad: Bool { node != nil }

    /// The single value of a one-element tensor.
    /// - Throws: ``TensorError`` if the tensor holds more or fewer than one value.
    public func item() throws -> Float {
        guard count == 1 else {
            throw TensorError.shapeMismatch(op: "item", argument: "self", expected: "one element",
                                            actual: "shape \(shape)")
        }
        return scalars[0]
    }

    /// The accumulated gradient of a leaf tensor after ``backward(seed:)``, shaped like the tensor.
    public var grad: Tensor? {
        guard let g = node?.grad else { return nil }
        return Tensor(unchecked: g, shape: shape)
    }

    /// A leaf copy of this tensor that records operations and accumulates a gradient.
    public func requiringGrad() -> Tensor {
        Tensor(unchecked: scalars, shape: shape, node: GradNode(op: "leaf", count: count, parents: [], backward: nil))
    }

    /// The same values cut off from the graph (stop-gradient).
    public func detached() -> Tensor { Tensor(unchecked: scalars, shape: shape) }

    /// A short description: shape and up to eight values.
    public var description: String {
        let head = scalars.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(head)\(count > 8 ? ", ..." : "")])"
    }

    // MARK: - Building results of operations

    /// Wraps an op's output, attaching a graph node when gradients are enabled and an input needs one.
    ///
    /// `backward` receives the output gradient and, per input, whether that input needs a gradient;
    /// it returns one gradient per input (nil where none is needed), each shaped like that input.
    static func make(_ op: String, _ scalars: [Float], shape: [Int], inputs: [Tensor],
                     backward: @escaping ([Float], [Bool]) -> [[Float]?]) -> Tensor {
        if OpProfile.isEnabled { OpProfile.mark(op) }
        guard GradMode.isEnabled, inputs.contains(where: { $0.node != nil }) else {
            return Tensor(unchecked: scalars, shape: shape)
        }
        let node = GradNode(op: op, count: scalars.count, parents: inputs.map { $0.node }, backward: backward)
        return Tensor(unchecked: scalars, shape: shape, node: node)
    }

    /// Like ``make(_:_:shape:inputs:backward:)`` for a single-input op whose gradient is a part of the
    /// input's: `scatter(&inputGradient, outputGradient)` adds the output gradient into place.
    static func make(_ op: String, _ scalars: [Float], shape: [Int], input: Tensor,
                     scatter: @escaping (inout [Float], [Float]) -> Void) -> Tensor {
        if OpProfile.isEnabled { OpProfile.mark(op) }
        guard GradMode.isEnabled, let parent = input.node else { return Tensor(unchecked: scalars, shape: shape) }
        let count = input.count
        let node = GradNode(op: op, count: scalars.count, parents: [parent], backward: { g, _ in
            var full = [Float](repeating: 0, count: count)
            scatter(&full, g)
            return [full]
        }, scatter: scatter)
        return Tensor(unchecked: scalars, shape: shape, node: node)
    }
}
