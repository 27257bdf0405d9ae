/// One scalar per `(b, s, k)`: the step stds `σ_std` and the FlowScale weights of the layout (rl-math.md §1.2).
///
/// ```swift
/// let stds = try StepValues(broadcasting: sde.stds, batch: 8, outerSteps: 3)
/// let s = stds[b: 2, s: 1, k: 0]
/// ```
public struct StepValues: Sendable, Equatable {
    /// B.
    public let batch: Int
    /// S.
    public let outerSteps: Int
    /// K.
    public let denoisingSteps: Int
    /// `B·S·K` values, k fastest.
    public var values: [Double]

    /// Wraps flat values.
    /// - Throws: ``ValidationError`` if a size is below 1, the count is not `B·S·K`, or a value is not finite.
    public init(batch: Int, outerSteps: Int, denoisingSteps: Int, values: [Double], name: String = "values") throws {
        try Validate.atLeastOne(batch, "batch (B)")
        try Validate.atLeastOne(outerSteps, "outerSteps (S)")
        try Validate.atLeastOne(denoisingSteps, "denoisingSteps (K)")
        let expected = batch * outerSteps * denoisingSteps
        guard values.count == expected else {
            throw ValidationError.shapeMismatch(argument: name,
                                                expected: "[B=\(batch), S=\(outerSteps), K=\(denoisingSteps)] = \(expected) values",
                                                actual: "\(values.count) values")
        }
        try Validate.finite(values, name)
        self.batch = batch
        self.outerSteps = outerSteps
        self.denoisingSteps = denoisingSteps
        self.values = values
    }

    /// The same K values for every `(b, s)` (a fixed global grid).
    /// - Throws: ``ValidationError`` as ``init(batch:outerSteps:denoisingSteps:values:name:)``.
    public init(broadcasting perStep: [Double], batch: Int, outerSteps: Int, name: String = "values") throws {
        try Validate.atLeastOne(perStep.count, "\(name).count (K)")
        var values: [Double] = []
        values.reserveCapacity(batch * outerSteps * perStep.count)
        for _ in 0..<max(batch * outerSteps, 0) { values.append(contentsOf: perStep) }
        try self.init(batch: batch, outerSteps: outerSteps, denoisingSteps: perStep.count, values: values, name: name)
    }

    /// The value at `(b, s, k)`.
    @inlinable
    public subscript(b b: Int, s s: Int, k k: Int) -> Double {
        get { values[(b * outerSteps + s) * denoisingSteps + k] }
        set { values[(b * outerSteps + s) * denoisingSteps + k] = newValue }
    }

    /// Throws ``ValidationError/shapeMismatch(argument:expected:actual:)`` unless B, S and K match `shape`.
    public func validate(against shape: TrajectoryShape, _ argument: String) throws {
        if batch != shape.batch || outerSteps != shape.outerSteps || denoisingSteps != shape.denoisingSteps {
            throw ValidationError.shapeMismatch(
                argument: argument,
                expected: "[B=\(shape.batch), S=\(shape.outerSteps), K=\(shape.denoisingSteps)]",
                actual: "[B=\(batch), S=\(outerSteps), K=\(denoisingSteps)]")
        }
    }
}
