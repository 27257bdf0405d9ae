import Foundation
import PNGImage
import ProphRLCore
import Testing
import VideoFFmpeg

/// Runs `prophrl eval-flow`, `flow` and `action-frames` as a user would, on files written by the adapters.
@Suite(.serialized) final class FlowCLITests {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "prophrl-flowcli-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    static var binary: URL {
        var dir = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("prophrl")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/prophrl")
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The spec's smooth test texture moved by (vx, vy)·t, as RGB.
    static func frame(_ n: Int, dx: Double, dy: Double) throws -> RGBImage {
        var image = try RGBImage(width: n, height: n)
        for y in 0..<n {
            for x in 0..<n {
                let u = Double(x) - dx, v = Double(y) - dy
                let value = 127.3 + 60 * sin(2 * .pi * u / 23) * cos(2 * .pi * v / 31) + 40 * sin(2 * .pi * (u + 2 * v) / 41)
                let g = UInt8(max(0, min(255, (value + 0.5).rounded(.down))))
                image[x, y] = (g, g / 2 + 50, 255 - g)
            }
        }
        return image
    }

    func video(_ name: String, frames: Int = 5, vx: Double, vy: Double) throws -> String {
        let images = try (0..<frames).map { try Self.frame(48, dx: vx * Double($0), dy: vy * Double($0)) }
        let path = "\(directory)/\(name)"
        try FFmpegVideoWriter(codec: .losslessRGB).writeSync(try VideoClip(frames: images, framesPerSecond: 20), path: path)
        return path
    }

    @Test func evalFlowOnIdenticalVideos() throws {
        let a = try video("a.mp4", vx: 1, vy: 0.5)
        let json = "\(directory)/report.json", plot = "\(directory)/plot.png"
        let (status, output) = try Self.run(["eval-flow", "--reference", a, "--generated", a, "--json", json, "--plot", plot])
        #expect(status == 0, "\(output)")
        #expect(output.contains("identical"))
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any]
        let epe = report?["endPointError"] as? [String: Any]
        #expect(epe?["mean"] as? Double == 0)
        #expect((report?["cosine"] as? [String: Any])?["mean"] as? Double == 1)
        #expect(report?["identicalFrames"] as? Int == 5)
        #expect((report?["pairs"] as? [Any])?.count == 4)
        let picture = try PNGImageReader().read(plot)
        #expect(picture.width == 640 && picture.height == 720)
    }

    @Test func evalFlowOnDifferentMotion() throws {
        let a = try video("ra.mp4", frames: 6, vx: 1, vy: 0), b = try video("gb.mp4", frames: 6, vx: 0, vy: 1)
        let json = "\(directory)/motion.json"
        let (status, output) = try Self.run(["eval-flow", "--reference", a, "--generated", b, "--frames", "1:5", "--json", json])
        #expect(status == 0, "\(output)")
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any]
        let epe = (report?["endPointError"] as? [String: Any])?["mean"] as? Double ?? -1
        let cosine = (report?["cosine"] as? [String: Any])?["mean"] as? Double ?? -1
        // Truth: (1, 0) vs (0, 1) per pair, EPE √2 and cosine 0; Farneback at 48×48 gets close.
        #expect(abs(epe - 2.0.squareRoot()) < 0.25, "EPE \(epe)")
        #expect(abs(cosine) < 0.15, "cosine \(cosine)")
        #expect((report?["pairs"] as? [Any])?.count == 3)
    }

    @Test func evalFlowReportsMissingFiles() throws {
        let missing = "\(directory)/nope.mp4"
        let (status, output) = try Self.run(["eval-flow", "--reference", missing, "--generated", missing])
        #expect(status != 0)
        #expect(output.contains(missing) && output.contains("not found"))
        let (badStatus, badOutput) = try Self.run(["eval-flow", "--reference", missing, "--generated", missing, "--frames", "5:3"])
        #expect(badStatus != 0 && badOutput.contains("--frames"))
    }

    @Test func flowWritesPictureAndRawFlow() throws {
        let a = "\(directory)/a.png", b = "\(directory)/b.png", out = "\(directory)/flow.png", raw = "\(directory)/flow.flo"
        try PNGImageWriter().write(try Self.frame(64, dx: 0, dy: 0), to: a)
        try PNGImageWriter().write(try Self.frame(64, dx: 1.5, dy: -0.75), to: b)
        let (status, output) = try Self.run(["flow", a, b, "--out", out, "--raw", raw])
        #expect(status == 0, "\(output)")
        let picture = try PNGImageReader().read(out)
        #expect(picture.width == 64 && picture.height == 64)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: raw)))
        #expect(bytes.count == 12 + 8 * 64 * 64)
        #expect(Array(bytes.prefix(4)) == Array("PIEH".utf8))
        // Mean dx over the interior is the shift, from the raw floats.
        var sum = 0.0, count = 0.0
        for y in 8..<56 {
            for x in 8..<56 {
                let offset = 12 + 8 * (y * 64 + x)
                let bits = UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
                sum += Double(Float(bitPattern: bits)); count += 1
            }
        }
        #expect(abs(sum / count - 1.5) < 0.05)
    }
}

/// `prophrl action-frames` on the spec's worked example (flow-eval.md §5.4).
extension FlowCLITests {
    @Test func actionFramesRenderTheWorkedExample() throws {
        let json = "\(directory)/poses.json", out = "\(directory)/frames.mp4"
        let text = """
        {"width": 64, "height": 64, "framesPerSecond": 10,
         "camera": {"fx": 64, "fy": 64, "cx": 32, "cy": 32, "width": 64, "height": 64},
         "frames": [[{"position": [0.1, -0.05, 0.8], "rpy": [0, 0, 0], "openness": 0.5}],
                    [{"matrix": [1, 0, 0, 0.1, 0, 1, 0, -0.05, 0, 0, 1, 0.8, 0, 0, 0, 1], "openness": 0.5}]]}
        """
        try text.write(toFile: json, atomically: true, encoding: .utf8)
        let (status, output) = try Self.run(["action-frames", json, "--out", out, "--lossless"])
        #expect(status == 0, "\(output)")
        let clip = try FFmpegVideoReader().readSync(path: out)
        #expect(clip.frames.count == 2 && clip.frames[0] == clip.frames[1])
        let image = clip.frames[0]
        #expect(image[40, 28] == (255, 255, 255) && image[45, 28] == (255, 0, 0) && image[40, 33] == (0, 255, 0))
        #expect(image[36, 28] == (20, 87, 84) && image[45, 30] == (0, 0, 0))
        var nonBlack = 0
        for p in stride(from: 0, to: image.pixels.count, by: 3) where image.pixels[p] != 0 || image.pixels[p + 1] != 0 || image.pixels[p + 2] != 0 {
            nonBlack += 1
        }
        #expect(nonBlack == 95)

        let video = try video("under.mp4", frames: 2, vx: 1, vy: 0)
        let shown = "\(directory)/overlay.mp4"
        let (overlayStatus, overlayOutput) = try Self.run(["action-frames", json, "--out", shown, "--overlay", video, "--lossless"])
        #expect(overlayStatus == 0, "\(overlayOutput)")
        let blended = try FFmpegVideoReader().readSync(path: shown)
        let under = try FFmpegVideoReader(outputSize: (64, 64)).readSync(path: video)
        #expect(blended.frames[0][40, 28] == (255, 255, 255))
        #expect(blended.frames[0][2, 60] == under.frames[0][2, 60])

        try "{\"camera\": {}}".write(toFile: json, atomically: true, encoding: .utf8)
        let (badStatus, badOutput) = try Self.run(["action-frames", json, "--out", out])
        #expect(badStatus != 0 && badOutput.contains(json))
    }
}
