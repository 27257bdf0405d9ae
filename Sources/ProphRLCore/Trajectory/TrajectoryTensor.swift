/// A shape-checked `[B, S, K, CH, D]` tensor: rollout buffers store `Float`, objectives work in `Double`.
///
/// ```swift
/// var logProbs = TrajectoryTensor<Float>(zeros: shape)
/// logProbs[b: 0, s: 0, k: 1, c: 3, d: 2] = -0.7
/// let exact = logProbs.converted(to: Double.self)
/// ```
public struct TrajectoryTensor<Scalar: BinaryFloatingPoint & Sendable>: Sendable, Equatable {
    /// The layout sizes.
    public let shape: TrajectoryShape
    /// `shape.elementCount` values, row-major, D fastest.
    public var values: [Scalar]

    /// Wraps flat values.
    /// - Throws: ``ValidationError/shapeMismatch(argument:expected:actual:)`` if the count is not `B·S·K·CH·D`.
    public init(shape: TrajectoryShape, values: [Scalar], name: String = "values") throws {
        guard values.count == shape.elementCount else {
            throw ValidationError.shapeMismatch(argument: name, expected: "\(shape) = \(shape.elementCount) elements",
                                                actual: "\(values.count) elements")
        }
        self.shape = shape
        self.values = values
    }

    /// A tensor of zeros.
    public init(zeros shape: TrajectoryShape) {
        self.shape = shape
        values = [Scalar](repeating: 0, count: shape.elementCount)
    }

    /// The element at `(b, s, k, c, d)`.
    @inlinable
    public subscript(b b: Int, s s: Int, k k: Int, c c: Int, d d: Int) -> Scalar {
        get { values[shape.index(b: b, s: s, k: k, c: c, d: d)] }
        set { values[shape.index(b: b, s: s, k: k, c: c, d: d)] = newValue }
    }

    /// The same values in another precision.
    public func converted<Other: BinaryFloatingPoint & Sendable>(to _: Other.Type) -> TrajectoryTensor<Other> {
        TrajectoryTensor<Other>(unchecked: shape, values: values.map { Other($0) })
    }

    /// Throws ``ValidationError/nonFinite(argument:index:value:)`` at the first NaN or infinity.
    public func validateFinite(_ argument: String) throws {
        try Validate.finite(values, argument)
    }

    /// Throws ``ValidationError/shapeMismatch(argument:expected:actual:)`` unless `shape == expected`.
    public func validateShape(_ expected: TrajectoryShape, _ argument: String) throws {
        if shape != expected {
            throw ValidationError.shapeMismatch(argument: argument, expected: "\(expected)", actual: "\(shape)")
        }
    }

    init(unchecked shape: TrajectoryShape, values: [Scalar]) {
        self.shape = shape
        self.values = values
    }
}
