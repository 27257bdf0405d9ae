import Foundation
import PNGImage
import ProphRLCore
import Testing

/// PNG reading: a round trip through the writer is exact; missing and broken files give typed errors.
@Suite struct PNGImageReaderTests {
    @Test func roundTripIsExact() throws {
        var image = try RGBImage(width: 13, height: 7)
        for y in 0..<7 { for x in 0..<13 { image[x, y] = (UInt8(x * 19), UInt8(y * 31), UInt8((x * y) % 256)) } }
        let path = NSTemporaryDirectory() + "prophrl-png-\(getpid())-\(UUID().uuidString).png"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try PNGImageWriter().write(image, to: path)
        #expect(try PNGImageReader().read(path) == image)
    }

    @Test func missingAndBrokenFilesThrow() throws {
        let missing = NSTemporaryDirectory() + "prophrl-none-\(UUID().uuidString).png"
        #expect(throws: ImageFileError.self) { try PNGImageReader().read(missing) }
        let broken = NSTemporaryDirectory() + "prophrl-broken-\(getpid())-\(UUID().uuidString).png"
        defer { try? FileManager.default.removeItem(atPath: broken) }
        let bytes = try PNGImageWriter().encode(try RGBImage(width: 32, height: 32, fill: (1, 2, 3)))
        _ = FileManager.default.createFile(atPath: broken, contents: Data(bytes.prefix(bytes.count / 2)))
        do {
            _ = try PNGImageReader().read(broken)
            Issue.record("a truncated PNG decoded")
        } catch let error as ImageFileError {
            guard case .decoder(let file, _) = error else { Issue.record("wrong case \(error)"); return }
            #expect(file == broken)
        }
    }
}
