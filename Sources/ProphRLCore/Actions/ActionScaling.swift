/// An affine map between a policy's normalised action units and robot units, per action dimension:
/// `robot = offset + scale · normalised`. Flow heads sample in normalised units, where unit Gaussian noise
/// is commensurate with the actions.
public struct ActionScaling: Sendable, Equatable, Hashable {
    /// Scale per action dimension (7).
    public let scale: [Double]
    /// Offset per action dimension (7).
    public let offset: [Double]

    /// Creates a scaling.
    /// - Throws: ``ValidationError`` unless both have 7 finite entries and every scale is positive.
    public init(scale: [Double], offset: [Double]) throws {
        try Validate.count(scale.count, equals: EndEffectorAction.dimension, "scale")
        try Validate.count(offset.count, equals: EndEffectorAction.dimension, "offset")
        for (i, s) in scale.enumerated() { try Validate.positive(s, "scale[\(i)]") }
        try Validate.finite(offset, "offset")
        self.scale = scale
        self.offset = offset
    }

    /// The chunk in robot units (validity kept; padded effectors stay zero).
    /// - Throws: ``ValidationError`` if the result is not a valid chunk.
    public func toRobot(_ chunk: ActionChunk) throws -> ActionChunk {
        try map(chunk) { v, d in offset[d] + scale[d] * v }
    }

    /// The chunk in normalised units.
    /// - Throws: ``ValidationError`` if the result is not a valid chunk.
    public func toNormalised(_ chunk: ActionChunk) throws -> ActionChunk {
        try map(chunk) { v, d in (v - offset[d]) / scale[d] }
    }

    private func map(_ chunk: ActionChunk, _ f: (Double, Int) -> Double) throws -> ActionChunk {
        let mask = chunk.elementMask
        let d = EndEffectorAction.dimension
        let values = chunk.values.enumerated().map { i, v in mask[i] == 0 ? v : Float(f(Double(v), i % d)) }
        return try ActionChunk(steps: chunk.steps, maxEffectors: chunk.maxEffectors, values: values, validity: chunk.validity)
    }
}
