/// A rendered camera view: colour, depth (m along the optical axis, +∞ for background) and segmentation.
public struct RenderedView: Sendable, Equatable {
    /// The colour image.
    public var image: RGBImage
    /// Row-major depth, one value per pixel.
    public var depth: [Float]
    /// Row-major segmentation ids, one per pixel.
    public var segmentation: [UInt8]

    /// Creates a view.
    public init(image: RGBImage, depth: [Float], segmentation: [UInt8]) {
        self.image = image
        self.depth = depth
        self.segmentation = segmentation
    }
}
