import CPNG
import Glibc
import ProphRLCore

/// Writes ``RGBImage``s as 8-bit RGB PNG files with libpng's simplified API, atomically.
///
/// ```swift
/// try PNGImageWriter().write(image, to: "loss.png")
/// ```
public struct PNGImageWriter: ImageFileWriter {
    /// Creates a writer.
    public init() {}

    /// Encodes `image` to PNG bytes in memory.
    /// - Throws: ``ImageFileError/encoder(file:detail:)`` with libpng's message.
    public func encode(_ image: RGBImage, file: String = "<memory>") throws -> [UInt8] {
        var control = png_image()
        control.version = prophrl_png_image_version()
        control.width = png_uint_32(image.width)
        control.height = png_uint_32(image.height)
        control.format = prophrl_png_format_rgb()
        let stride = png_int_32(image.width * 3)
        var size: png_alloc_size_t = 0
        // First call measures, second call writes.
        let measured = image.pixels.withUnsafeBytes { pixels in
            png_image_write_to_memory(&control, nil, &size, 0, pixels.baseAddress, stride, nil)
        }
        guard measured != 0, size > 0 else { throw ImageFileError.encoder(file: file, detail: message(of: &control)) }
        var bytes = [UInt8](repeating: 0, count: Int(size))
        let written = bytes.withUnsafeMutableBytes { out in
            image.pixels.withUnsafeBytes { pixels in
                png_image_write_to_memory(&control, out.baseAddress, &size, 0, pixels.baseAddress, stride, nil)
            }
        }
        png_image_free(&control)
        guard written != 0 else { throw ImageFileError.encoder(file: file, detail: message(of: &control)) }
        return Array(bytes.prefix(Int(size)))
    }

    /// Writes `image` to `path`: encode, write a temporary sibling, fsync, rename over `path`.
    public func write(_ image: RGBImage, to path: String) throws {
        let bytes = try encode(image, file: path)
        let temporary = "\(path).tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw ImageFileError.io(file: path, detail: "cannot create \(temporary): \(errnoText())") }
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                let detail = errnoText()
                close(fd)
                unlink(temporary)
                throw ImageFileError.io(file: path, detail: "write failed: \(detail)")
            }
            offset += count
        }
        let synced = fsync(fd) == 0
        close(fd)
        guard synced, rename(temporary, path) == 0 else {
            let detail = errnoText()
            unlink(temporary)
            throw ImageFileError.io(file: path, detail: "fsync/rename failed: \(detail)")
        }
    }

    private func message(of control: inout png_image) -> String {
        withUnsafeBytes(of: &control.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    private func errnoText() -> String { String(cString: strerror(errno)) }
}
