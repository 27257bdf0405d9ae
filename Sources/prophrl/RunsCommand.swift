import ArgumentParser

/// `prophrl runs`: inspect, plot, export and import run files (one SQLite database per run).
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "Inspect run files: list, show, plot metrics, export to / import from safetensors.",
        subcommands: [RunsListCommand.self, RunsShowCommand.self, RunsPlotCommand.self, RunsExportCommand.self,
                      RunsImportCommand.self, RunsCrashWriterCommand.self]
    )
}
