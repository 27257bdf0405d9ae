import ArgumentParser
import CheckpointSQLite
import ProphRLCore

/// `prophrl runs show run.sqlite`: the run's config, its checkpoints and a metrics summary.
struct RunsShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a run: config, checkpoints, metrics.")

    @Argument(help: "The run file.")
    var file: String

    func run() throws {
        let store = try SQLiteCheckpointStore(path: file, mode: .readOnly)
        let run = try store.runRecord()
        print("run \(file)")
        print("  kind          \(run.kind)")
        print("  created       \(run.created)")
        print("  seed          \(run.seed)")
        print("  code revision \(run.codeRevision)")
        print("  BLAS          \(run.blasThreads) thread(s), kernel \(run.blasKernel)")
        print("  config        \(run.configJSON)")
        print("  size          \(RunsFormat.bytes(RunsFormat.fileSize(file)))")
        let checkpoints = try store.list()
        print("\ncheckpoints (\(checkpoints.count))")
        var rows = [["step", "time", "size", "tags", "metrics"]]
        for summary in checkpoints {
            rows.append([String(summary.step), RunsFormat.time(summary.wallTime), RunsFormat.bytes(summary.byteCount),
                         summary.tags.joined(separator: ","),
                         summary.metrics.sorted { $0.key < $1.key }.map { "\($0.key)=\(RunsFormat.number($0.value))" }
                            .joined(separator: " ")])
        }
        print(RunsFormat.table(rows))
        let names = try store.metricNames()
        print("\nmetrics log (\(names.count) series)")
        var metricRows = [["metric", "points", "first step", "last step", "last", "min", "max"]]
        for name in names {
            let series = try store.metricSeries(name)
            guard let first = series.first, let last = series.last else { continue }
            let values = series.map(\.value)
            metricRows.append([name, String(series.count), String(first.step), String(last.step), RunsFormat.number(last.value),
                               RunsFormat.number(values.min() ?? 0), RunsFormat.number(values.max() ?? 0)])
        }
        print(RunsFormat.table(metricRows))
    }
}
