import ArgumentParser
import CheckpointSQLite
import ProphRL
import ProphRLCore

/// `prophrl runs import weights.safetensors --out run.sqlite [--lora]`: a new run from a safetensors file.
struct RunsImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a safetensors file into a new run: base weights, or with --lora only the LoRA adapters."
    )

    @Argument(help: "The safetensors file.")
    var input: String

    @Option(help: "The run file to create (must not exist).")
    var out: String

    @Flag(help: "Import only the LoRA adapter tensors (names with a 'lora_' segment); default: only the others.")
    var lora = false

    func run() throws {
        let contents = try Safetensors.decode(try AtomicFile.read(input), file: input)
        let (record, checkpoint) = try SafetensorsTransfer.importRun(
            contents, part: lora ? .lora : .base, source: input, codeRevision: "prophrl \(ProphRLInfo.version)",
            created: Clock.iso8601, wallTime: Clock.now)
        let store = try SQLiteCheckpointStore(path: out, mode: .create)
        try store.createRun(record)
        try store.save(checkpoint)
        print("imported \(checkpoint.tensors.count) \(lora ? "LoRA adapter" : "base weight") tensors "
              + "(\(RunsFormat.bytes(checkpoint.byteCount))) into \(out)")
    }
}
