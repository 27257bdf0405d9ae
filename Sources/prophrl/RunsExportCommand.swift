import ArgumentParser
import CheckpointSQLite
import ProphRL
import ProphRLCore

/// `prophrl runs export run.sqlite --step N --out weights.safetensors`.
struct RunsExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export a checkpoint's parameters to safetensors.")

    @Argument(help: "The run file.")
    var file: String

    @Option(help: "The checkpoint step (default: the latest).")
    var step: Int?

    @Option(help: "The safetensors file to write.")
    var out: String

    @Flag(help: "Also export optimizer state, prefixed 'optimizer.'.")
    var includeOptimizer = false

    func run() throws {
        let store = try SQLiteCheckpointStore(path: file, mode: .readOnly)
        let bytes = try SafetensorsTransfer.export(from: store, step: step, includeOptimizer: includeOptimizer)
        try AtomicFile.write(bytes, to: out)
        print("wrote \(out) (\(RunsFormat.bytes(bytes.count)))")
    }
}
