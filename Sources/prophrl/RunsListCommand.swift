import ArgumentParser
import CheckpointSQLite
import Foundation
import ProphRLCore

/// `prophrl runs list [dir]`: one row per run file: run, kind, steps, best metric, size.
struct RunsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the run files in a directory.")

    @Argument(help: "Directory holding *.sqlite run files.")
    var directory: String = "."

    @Option(help: "Metric whose best value is shown.")
    var metric: String = "loss"

    @Option(help: "Whether the best metric is the minimum or the maximum (minimize|maximize).")
    var mode: String = "minimize"

    func run() throws {
        guard let best = RetentionPolicy.Mode(rawValue: mode) else {
            throw ValidationError("--mode: expected minimize or maximize, got \(mode)")
        }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
            throw CLIError("\(directory): cannot list the directory")
        }
        var rows = [["run", "kind", "checkpoints", "last step", "best \(metric)", "size"]]
        for name in names.filter({ $0.hasSuffix(".sqlite") }).sorted() {
            let path = (directory as NSString).appendingPathComponent(name)
            let size = RunsFormat.bytes(RunsFormat.fileSize(path))
            do {
                // verify: false keeps listing fast; `runs show` runs the full check.
                let store = try SQLiteCheckpointStore(path: path, mode: .readOnly, verify: false)
                let run = try store.runRecord()
                let checkpoints = try store.list()
                let series = try store.metricSeries(metric).map(\.value) + checkpoints.compactMap { $0.metrics[metric] }
                let bestValue = best == .minimize ? series.min() : series.max()
                rows.append([name, run.kind, String(checkpoints.count), checkpoints.last.map { String($0.step) } ?? "-",
                             bestValue.map(RunsFormat.number) ?? "-", size])
            } catch {
                rows.append([name, "error: \(error)", "", "", "", size])
            }
        }
        print(RunsFormat.table(rows))
    }
}

/// Text formatting shared by the `runs` subcommands.
enum RunsFormat {
    /// Left-aligned columns separated by two spaces.
    static func table(_ rows: [[String]]) -> String {
        let widths = (0..<(rows.map(\.count).max() ?? 0)).map { column in
            rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0
        }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// Bytes in human units.
    static func bytes(_ count: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count), unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(count) B" : String(format: "%.1f %@", value, units[unit])
    }

    /// A metric value, compact.
    static func number(_ value: Double) -> String { String(format: "%.6g", value) }

    /// The size of the database plus its WAL, in bytes.
    static func fileSize(_ path: String) -> Int {
        [path, path + "-wal"].reduce(0) { total, file in
            total + ((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0)
        }
    }

    /// Seconds since the epoch as ISO 8601 UTC.
    static func time(_ seconds: Double) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: seconds))
    }
}
