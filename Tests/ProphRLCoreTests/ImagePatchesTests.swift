import ProphRLCore
import Testing

@Suite("Image patches for network input")
struct ImagePatchesTests {
    @Test("Pooling averages boxes and the layout is patch-major")
    func poolingAndLayout() throws {
        // 4×4 image: each 2×2 quadrant one grey level; pooled to 2×2 and split into 1×1 patches.
        var image = try RGBImage(width: 4, height: 4)
        let levels: [UInt8] = [0, 51, 102, 255]   // top-left, top-right, bottom-left, bottom-right
        for y in 0..<4 { for x in 0..<4 { let v = levels[(y / 2) * 2 + x / 2]; image[x, y] = (v, v, v) } }
        let out = try ImagePatches.pooled(image, grid: 2, patch: 1, argument: "frame")
        let expected = levels.flatMap { v in [Float](repeating: Float(v) / 255 - 0.5, count: 3) }
        #expect(out.count == 12)
        for (a, b) in zip(out, expected) { #expect(abs(a - b) < 1e-6) }
        // One 2×2 patch: rows of the pooled grid in order, so the same values.
        #expect(try ImagePatches.pooled(image, grid: 2, patch: 2, argument: "frame") == out)
    }

    @Test("A frame smaller than the grid, or a patch that does not divide it, is a typed error")
    func errors() throws {
        let small = try RGBImage(width: 3, height: 3)
        #expect(throws: ValidationError.shapeMismatch(argument: "frame", expected: "at least 4² pixels", actual: "3×3")) {
            try ImagePatches.pooled(small, grid: 4, patch: 2, argument: "frame")
        }
        #expect(throws: ValidationError.self) { try ImagePatches.pooled(small, grid: 3, patch: 2, argument: "frame") }
    }
}
