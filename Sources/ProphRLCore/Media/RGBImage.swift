/// An 8-bit RGB image, row-major, 3 interleaved channels (the layout FFmpeg's RGB24 and the renderers use).
public struct RGBImage: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// `height * width * 3` bytes, row by row, R G B per pixel.
    public var pixels: [UInt8]

    /// Creates an image from raw RGB24 bytes.
    /// - Throws: ``ValidationError`` if a size is not positive or `pixels.count != width * height * 3`.
    public init(width: Int, height: Int, pixels: [UInt8]) throws {
        try Validate.atLeastOne(width, "width")
        try Validate.atLeastOne(height, "height")
        try Validate.count(pixels.count, equals: width * height * 3, "pixels")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// Creates an image filled with one colour.
    /// - Throws: ``ValidationError`` if a size is not positive.
    public init(width: Int, height: Int, fill: (r: UInt8, g: UInt8, b: UInt8) = (0, 0, 0)) throws {
        try Validate.atLeastOne(width, "width")
        try Validate.atLeastOne(height, "height")
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for i in stride(from: 0, to: pixels.count, by: 3) {
            pixels[i] = fill.r; pixels[i + 1] = fill.g; pixels[i + 2] = fill.b
        }
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The colour at column `x`, row `y` (unchecked beyond Swift's array bounds check).
    public subscript(x: Int, y: Int) -> (r: UInt8, g: UInt8, b: UInt8) {
        get {
            let i = (y * width + x) * 3
            return (pixels[i], pixels[i + 1], pixels[i + 2])
        }
        set {
            let i = (y * width + x) * 3
            pixels[i] = newValue.r; pixels[i + 1] = newValue.g; pixels[i + 2] = newValue.b
        }
    }
}
