import ArgumentParser
import CheckpointSQLite
import PNGImage
import ProphRL
import ProphRLCore

/// `prophrl runs plot run.sqlite --metric loss --out loss.png`: a PNG line plot of one metric series.
struct RunsPlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plot", abstract: "Plot a metric of a run to a PNG file.")

    @Argument(help: "The run file.")
    var file: String

    @Option(help: "The metric to plot (from the per-step metrics log, else from the checkpoints).")
    var metric: String = "loss"

    @Option(help: "The PNG file to write.")
    var out: String

    @Option(help: "Image width in pixels.")
    var width: Int = 640

    @Option(help: "Image height in pixels.")
    var height: Int = 400

    func run() throws {
        let store = try SQLiteCheckpointStore(path: file, mode: .readOnly, verify: false)
        var samples = try store.metricSeries(metric)
        if samples.isEmpty {
            samples = try store.list().compactMap { summary in summary.metrics[metric].map { MetricSample(step: summary.step, value: $0) } }
        }
        if samples.isEmpty {
            let known = try store.metricNames()
            throw CLIError("\(file): no values of metric \(metric) (logged metrics: \(known.isEmpty ? "none" : known.joined(separator: ", ")))")
        }
        let plot = try LinePlot(title: metric, xLabel: "step", yLabel: metric,
                                series: [.init(name: metric, points: samples.map { (Double($0.step), $0.value) })],
                                width: width, height: height)
        try PNGImageWriter().write(try plot.render(), to: out)
        print("wrote \(out) (\(samples.count) points of \(metric))")
    }
}
