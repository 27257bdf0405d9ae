import ArgumentParser
import FarnebackFlow
import Foundation
import PNGImage
import ProphRL
import ProphRLCore
import VideoFFmpeg

/// `prophrl eval-flow --reference real.mp4 --generated gen.mp4`: the flow-based evaluation protocol
/// (flow-eval.md): Farnebäck flow EPE and cosine per frame pair, PSNR and SSIM per frame, mean and median.
struct EvalFlowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval-flow",
        abstract: "Score a generated video against a reference: flow EPE and cosine, PSNR, SSIM.",
        discussion: """
        Both videos are decoded with FFmpeg (any container/codec it reads), converted to grey with OpenCV's formula \
        and compared at the generated video's resolution (the reference is area-averaged to it) unless --size is \
        given. Flow EPE is in pixels at that resolution. Videos are streamed; when their lengths differ, the \
        shorter one's length is used.
        """)

    @Option(help: "The reference (real) video.")
    var reference: String

    @Option(help: "The generated video.")
    var generated: String

    @Option(help: "Write the full report (per pair, per frame, summaries) as JSON here.")
    var json: String?

    @Option(help: "Write a PNG plot of the per-pair EPE and cosine here.")
    var plot: String?

    @Option(help: "Frames to evaluate, half-open a:b (a: or :b allowed); default all.")
    var frames: String?

    @Option(help: "Evaluation size WxH (both videos resized to it); default the generated video's size.")
    var size: String?

    @Option(help: "Leading frames left out of PSNR/SSIM (1 for world-model clips whose frame 0 is the real one).")
    var conditioningFrames: Int = 0

    @Option(help: "Cosine mask threshold θ in pixels.")
    var cosineThreshold: Double = FlowMetrics.defaultThreshold

    @Option(help: "Worker threads (frame pairs run in parallel).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @OptionGroup var farneback: FarnebackOptions

    func run() throws {
        let range = try Self.parseRange(frames)
        let explicit = try size.map(Self.parseSize)
        let generatedDecoder = try FFmpegVideoDecoder(path: generated, outputSize: explicit)
        let target = (generatedDecoder.width, generatedDecoder.height)
        let referenceDecoder = try FFmpegVideoDecoder(path: reference, outputSize: target)
        let (rateR, rateG) = (referenceDecoder.framesPerSecond, generatedDecoder.framesPerSecond)
        if rateR > 0, rateG > 0, abs(rateR - rateG) > 0.01 * max(rateR, rateG) {
            print(String(format: "warning: frame rates differ (reference %.3f fps, generated %.3f fps); frames are paired "
                         + "by index, so motion per pair is not comparable", rateR, rateG))
        }
        let estimator = FarnebackOpticalFlow(parameters: try farneback.parameters())
        let evaluation = try FlowEvaluation(estimator: estimator, estimatorName: estimator.description,
                                            cosineThreshold: cosineThreshold, threads: max(1, threads))
        let start = Date()
        // Streamed in chunks, so memory stays bounded for long videos.
        let report = try evaluation.evaluateStreaming(
            reference: { try referenceDecoder.nextFrame()?.image }, generated: { try generatedDecoder.nextFrame()?.image },
            firstFrame: range.lower, frameLimit: range.upper.map { $0 - range.lower },
            conditioningFrames: conditioningFrames, chunkFrames: max(8, 4 * max(1, threads)))
        if let upper = range.upper, report.firstFrame + report.frameCount < upper {
            print("note: the videos end before frame \(upper); evaluated \(report.frameCount) frames")
        }
        let seconds = Date().timeIntervalSince(start)
        print("reference \(reference) (\(referenceDecoder.codecName)), generated \(generated) (\(generatedDecoder.codecName)); "
              + "\(report.width)x\(report.height), frames \(report.firstFrame)..<\(report.firstFrame + report.frameCount)")
        print(EvaluationTable.render(report))
        print(String(format: "evaluated in %.2f s on %d thread(s)", seconds, evaluation.threads))
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try AtomicFile.write([UInt8](try encoder.encode(report)), to: json)
            print("wrote \(json)")
        }
        if let plot {
            try PNGImageWriter().write(try EvaluationTable.plot(report), to: plot)
            print("wrote \(plot)")
        }
    }

    /// Parses `a:b`, `a:` or `:b`.
    static func parseRange(_ text: String?) throws -> (lower: Int, upper: Int?) {
        guard let text else { return (0, nil) }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let lower = parts[0].isEmpty ? 0 : Int(parts[0]), lower >= 0 else {
            throw CLIError("--frames: expected a:b with 0 <= a < b, got '\(text)'")
        }
        if parts[1].isEmpty { return (lower, nil) }
        guard let upper = Int(parts[1]), upper > lower + 1 else {
            throw CLIError("--frames: expected a:b with b >= a + 2 (at least one pair), got '\(text)'")
        }
        return (lower, upper)
    }

    /// Parses `WxH`.
    static func parseSize(_ text: String) throws -> (width: Int, height: Int) {
        let parts = text.lowercased().split(separator: "x")
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), w >= 16, h >= 16 else {
            throw CLIError("--size: expected WxH with both at least 16, got '\(text)'")
        }
        return (w, h)
    }
}
