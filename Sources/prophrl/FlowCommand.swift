import ArgumentParser
import FarnebackFlow
import Foundation
import PNGImage
import ProphRL
import ProphRLCore

/// `prophrl flow a.png b.png --out flow.png [--raw flow.flo]`: Farnebäck flow between two images, as an HSV
/// colour-wheel picture and optionally as raw floats.
struct FlowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flow",
        abstract: "Dense Farneback optical flow between two PNG images (OpenCV-exact).",
        discussion: """
        The picture codes direction as hue (right = red, down = yellow-green, left = cyan, up = violet) and \
        magnitude as brightness. --raw writes the Middlebury .flo format: "PIEH", int32 width, int32 height, \
        then float32 (dx, dy) per pixel, row-major, little-endian.
        """)

    @Argument(help: "The first image (PNG).")
    var first: String

    @Argument(help: "The second image (PNG), same size.")
    var second: String

    @Option(help: "The colour-wheel PNG to write.")
    var out: String

    @Option(help: "Also write the raw flow (.flo) here.")
    var raw: String?

    @Option(help: "Magnitude (pixels) shown at full brightness; default: the largest in the field.")
    var maxMagnitude: Double?

    @OptionGroup var farneback: FarnebackOptions

    func run() throws {
        let reader = PNGImageReader()
        let a = try reader.read(first), b = try reader.read(second)
        guard a.width == b.width, a.height == b.height else {
            throw CLIError("\(second): size \(b.width)x\(b.height) differs from \(first)'s \(a.width)x\(a.height)")
        }
        let estimator = FarnebackOpticalFlow(parameters: try farneback.parameters())
        let start = Date()
        let field = try estimator.flow(from: a, to: b)
        let seconds = Date().timeIntervalSince(start)
        try PNGImageWriter().write(try FlowColorWheel.render(field, maxMagnitude: maxMagnitude), to: out)
        if let raw { try AtomicFile.write(Self.middlebury(field), to: raw) }
        var sx = 0.0, sy = 0.0, largest = 0.0
        for p in 0..<(field.width * field.height) {
            let dx = Double(field.vectors[2 * p]), dy = Double(field.vectors[2 * p + 1])
            sx += dx; sy += dy; largest = max(largest, (dx * dx + dy * dy).squareRoot())
        }
        let n = Double(field.width * field.height)
        print(String(format: "flow %dx%d with %@ in %.1f ms: mean (%.4f, %.4f) px, max magnitude %.4f px",
                     field.width, field.height, estimator.description, seconds * 1e3, sx / n, sy / n, largest))
        print("wrote \(out)" + (raw.map { " and \($0)" } ?? ""))
    }

    /// The Middlebury `.flo` bytes of a field.
    static func middlebury(_ field: FlowField) -> [UInt8] {
        var bytes: [UInt8] = Array("PIEH".utf8)
        func append32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
        append32(UInt32(field.width)); append32(UInt32(field.height))
        for v in field.vectors { append32(v.bitPattern) }
        return bytes
    }
}
