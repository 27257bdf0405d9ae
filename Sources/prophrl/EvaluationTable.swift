import Foundation
import ProphRL
import ProphRLCore

/// Text and picture forms of a ``FlowEvaluationReport`` for the command line.
enum EvaluationTable {
    /// Per-pair and per-frame tables, then the summaries.
    static func render(_ report: FlowEvaluationReport) -> String {
        var lines = ["\(report.estimator), cosine threshold θ = \(report.cosineThreshold) px", "",
                     "pair        EPE (px)   cosine   mask px"]
        for pair in report.pairs {
            let cosine = pair.cosine.map { String(format: "%8.4f", $0) } ?? "    skip"
            lines.append(String(format: "%4d→%-4d  %9.4f  ", pair.frame, pair.frame + 1, pair.endPointError) + cosine
                         + String(format: "  %8d", pair.cosinePixels))
        }
        lines += ["", "frame   PSNR (dB)     SSIM"]
        for frame in report.frames {
            lines.append(String(format: "%5d   %9.4f   %6.4f", frame.frame, frame.psnr, frame.ssim) + (frame.identical ? "   identical (PSNR ∞)" : ""))
        }
        lines += ["", "metric        mean     median        min        max"]
        func row(_ name: String, _ s: MetricSummary?, _ note: String = "") {
            guard let s else { lines.append("\(name.padding(toLength: 8, withPad: " ", startingAt: 0))      n/a" + note); return }
            lines.append(name.padding(toLength: 8, withPad: " ", startingAt: 0)
                         + String(format: "%10.4f %10.4f %10.4f %10.4f", s.mean, s.median, s.minimum, s.maximum) + note)
        }
        row("EPE", report.endPointError, "   px")
        row("cosine", report.cosine, report.skippedCosinePairs > 0 ? "   (\(report.skippedCosinePairs) pairs skipped: no motion)" : "")
        row("PSNR", report.psnr, report.identicalFrames > 0 ? "   dB (\(report.identicalFrames) identical frames counted as 100 dB)" : "   dB")
        row("SSIM", report.ssim)
        return lines.joined(separator: "\n")
    }

    /// Two line plots stacked: per-pair EPE (top) and cosine (bottom).
    static func plot(_ report: FlowEvaluationReport, width: Int = 640, height: Int = 360) throws -> RGBImage {
        let epe = try LinePlot(title: "flow EPE per frame pair", xLabel: "pair (first frame)", yLabel: "EPE (px)",
                               series: [.init(name: "EPE", points: report.pairs.map { (Double($0.frame), $0.endPointError) })],
                               width: width, height: height).render()
        let cosinePoints = report.pairs.compactMap { p in p.cosine.map { (Double(p.frame), $0) } }
        let cosine = try LinePlot(title: "flow cosine per frame pair, theta \(report.cosineThreshold) px", xLabel: "pair (first frame)",
                                  yLabel: "cosine", series: [.init(name: "cosine", points: cosinePoints.isEmpty ? [(0, 0)] : cosinePoints,
                                                                   color: (214, 39, 40))],
                                  width: width, height: height).render()
        return try RGBImage(width: width, height: 2 * height, pixels: epe.pixels + cosine.pixels)
    }
}
