import CPNG
import Foundation
import PNGImage
import ProphRLCore
import Testing

@Suite("PNG image writer")
struct PNGImageWriterTests {
    /// Decodes PNG bytes to RGB24 with libpng's reader (the independent half of the round trip).
    static func decode(_ bytes: [UInt8]) throws -> (width: Int, height: Int, pixels: [UInt8]) {
        var control = png_image()
        control.version = png_uint_32(PNG_IMAGE_VERSION)
        let began = bytes.withUnsafeBytes { png_image_begin_read_from_memory(&control, $0.baseAddress, $0.count) }
        guard began != 0 else { throw ImageFileError.encoder(file: "mem", detail: "begin_read") }
        control.format = png_uint_32(PNG_FORMAT_FLAG_COLOR)
        var pixels = [UInt8](repeating: 0, count: Int(control.width * control.height) * 3)
        let finished = pixels.withUnsafeMutableBytes { png_image_finish_read(&control, nil, $0.baseAddress, 0, nil) }
        guard finished != 0 else { throw ImageFileError.encoder(file: "mem", detail: "finish_read") }
        return (Int(control.width), Int(control.height), pixels)
    }

    @Test("An image written as PNG decodes to the same pixels")
    func roundTrip() throws {
        var rng = SeededGenerator(seed: 9)
        let image = try RGBImage(width: 37, height: 23, pixels: (0..<(37 * 23 * 3)).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("png-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("a.png").path
        try PNGImageWriter().write(image, to: path)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let decoded = try Self.decode(bytes)
        #expect(decoded.width == 37 && decoded.height == 23)
        #expect(decoded.pixels == image.pixels)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["a.png"])   // no temporary left
    }

    @Test("An unwritable path is an I/O error naming the file")
    func unwritable() throws {
        let image = try RGBImage(width: 2, height: 2)
        let path = "/nonexistent-dir/x.png"
        do { try PNGImageWriter().write(image, to: path); Issue.record("wrote into a missing directory") }
        catch let error as ImageFileError {
            guard case .io(let file, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(file == path)
        }
    }
}
