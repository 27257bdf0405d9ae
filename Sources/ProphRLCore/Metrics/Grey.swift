/// Grey (luma) conversion exactly as OpenCV's `cvtColor(RGB2GRAY)` on 8-bit images
/// (flow-eval.md §2): `Y = (19596·R + 38470·G + 7470·B + 32768) >> 16`.
///
/// The fixed-point weights sum to 65536, so grey colours map to themselves. A float
/// `round(0.299R + 0.587G + 0.114B)` differs by ±1 on about 0.1% of colours, hence the integer form.
public enum Grey {
    /// The luma of one RGB colour.
    @inlinable
    public static func luma(r: UInt8, g: UInt8, b: UInt8) -> UInt8 {
        let y = (19596 * UInt32(r) + 38470 * UInt32(g) + 7470 * UInt32(b) + 32768) >> 16
        return UInt8(truncatingIfNeeded: y)   // y ≤ 255 since the weights sum to 65536
    }

    /// The grey image, `width · height` bytes, row-major.
    /// - Throws: ``ValidationError`` naming `image.pixels` if its length no longer matches the size.
    public static func convert(_ image: RGBImage) throws -> [UInt8] {
        try Validate.count(image.pixels.count, equals: image.width * image.height * 3, "image.pixels")
        var grey = [UInt8](repeating: 0, count: image.width * image.height)
        image.pixels.withUnsafeBufferPointer { rgb in
            for i in grey.indices {
                grey[i] = luma(r: rgb[3 * i], g: rgb[3 * i + 1], b: rgb[3 * i + 2])
            }
        }
        return grey
    }

    /// The grey image as Floats in [0, 255] (the input of the Farneback flow).
    /// - Throws: as ``convert(_:)``.
    public static func convertToFloat(_ image: RGBImage) throws -> [Float] {
        try convert(image).map { Float($0) }
    }
}
