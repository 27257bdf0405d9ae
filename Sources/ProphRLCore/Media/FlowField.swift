/// A dense 2-D motion field: one (dx, dy) displacement in pixels per pixel, row-major, interleaved.
///
/// The layout matches OpenCV's `CV_32FC2` flow (`flow[y, x] = (dx, dy)`), so fields move between the
/// two without reordering.
public struct FlowField: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// `height * width * 2` floats: dx then dy for each pixel.
    public var vectors: [Float]

    /// Creates a field from interleaved (dx, dy) values.
    /// - Throws: ``ValidationError`` if a size is not positive or `vectors.count != width * height * 2`.
    public init(width: Int, height: Int, vectors: [Float]) throws {
        try Validate.atLeastOne(width, "width")
        try Validate.atLeastOne(height, "height")
        try Validate.count(vectors.count, equals: width * height * 2, "vectors")
        self.width = width
        self.height = height
        self.vectors = vectors
    }

    /// A field of zero motion.
    /// - Throws: ``ValidationError`` if a size is not positive.
    public init(zerosWidth width: Int, height: Int) throws {
        try self.init(width: width, height: height, vectors: [Float](repeating: 0, count: max(width, 0) * max(height, 0) * 2))
    }

    /// The displacement at column `x`, row `y`.
    public subscript(x: Int, y: Int) -> (dx: Float, dy: Float) {
        get {
            let i = (y * width + x) * 2
            return (vectors[i], vectors[i + 1])
        }
        set {
            let i = (y * width + x) * 2
            vectors[i] = newValue.dx; vectors[i + 1] = newValue.dy
        }
    }
}
