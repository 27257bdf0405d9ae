import CPNG
import Glibc
import ProphRLCore

/// Reads PNG files (any bit depth, grey, palette or alpha) as 8-bit ``RGBImage``s with libpng's simplified API;
/// transparent pixels are composited onto black.
///
/// ```swift
/// let frame = try PNGImageReader().read("frame_0001.png")
/// ```
public struct PNGImageReader: Sendable {
    /// Creates a reader.
    public init() {}

    /// Decodes the PNG file at `path`.
    /// - Throws: ``ImageFileError/io(file:detail:)`` if the file cannot be opened,
    ///   ``ImageFileError/decoder(file:detail:)`` with libpng's message if it is not a valid PNG.
    public func read(_ path: String) throws -> RGBImage {
        guard access(path, R_OK) == 0 else {
            throw ImageFileError.io(file: path, detail: "cannot open: \(String(cString: strerror(errno)))")
        }
        var control = png_image()
        control.version = prophrl_png_image_version()
        guard png_image_begin_read_from_file(&control, path) != 0 else {
            let detail = message(of: &control)
            png_image_free(&control)
            throw ImageFileError.decoder(file: path, detail: detail)
        }
        control.format = prophrl_png_format_rgb()
        let width = Int(control.width), height = Int(control.height)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        var black = png_color(red: 0, green: 0, blue: 0)
        let finished = pixels.withUnsafeMutableBytes { out in
            png_image_finish_read(&control, &black, out.baseAddress, png_int_32(width * 3), nil)
        }
        guard finished != 0 else {
            let detail = message(of: &control)
            png_image_free(&control)
            throw ImageFileError.decoder(file: path, detail: detail)
        }
        return try RGBImage(width: width, height: height, pixels: pixels)
    }

    private func message(of control: inout png_image) -> String {
        withUnsafeBytes(of: &control.message) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
