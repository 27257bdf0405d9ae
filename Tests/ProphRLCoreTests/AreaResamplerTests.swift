import Foundation
import ProphRLCore
import Testing

/// Area averaging against OpenCV's INTER_AREA (Fixtures/area, Benchmarks/peers/opencv_area_fixtures.py) and a
/// hand-computed 2× case.
@Suite struct AreaResamplerTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/area")

    @Test func exactHalvingIsTheRoundedBlockMean() throws {
        let image = try RGBImage(width: 2, height: 2, pixels: [0, 10, 255, 1, 11, 255, 2, 12, 254, 3, 12, 255])
        let half = try AreaResampler.resize(image, width: 1, height: 1)
        #expect(half.pixels == [2, 11, 255])   // (6+2)>>2, (45+2)>>2, (1019+2)>>2
    }

    @Test(arguments: [(10, 7), (8, 6), (7, 5), (5, 7), (4, 2), (13, 9), (20, 7), (5, 14)])
    func matchesOpenCV(width: Int, height: Int) throws {
        let source = try RGBImage(width: 20, height: 14,
                                  pixels: [UInt8](Data(contentsOf: Self.directory.appendingPathComponent("source.bin"))))
        let expected = try [UInt8](Data(contentsOf: Self.directory.appendingPathComponent("\(width)x\(height).bin")))
        let ours = try AreaResampler.resize(source, width: width, height: height)
        let worst = zip(ours.pixels, expected).map { abs(Int($0) - Int($1)) }.max() ?? 0
        let exact = zip(ours.pixels, expected).filter { $0 == $1 }.count
        #expect(worst <= 1, "\(width)x\(height): max difference \(worst)")
        #expect(exact == expected.count, "\(width)x\(height): \(exact)/\(expected.count) bytes equal to OpenCV's")
    }

    @Test func rejectsEnlarging() throws {
        let image = try RGBImage(width: 4, height: 4)
        #expect(throws: ValidationError.self) { try AreaResampler.resize(image, width: 5, height: 4) }
        #expect(throws: ValidationError.self) { try AreaResampler.resize(image, width: 4, height: 0) }
        #expect(try AreaResampler.resize(image, width: 4, height: 4) == image)
    }
}
