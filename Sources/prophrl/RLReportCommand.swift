import ArgumentParser
import Foundation
import ProphRL
import ProphRLCore

/// `prophrl rl report eval-sft.json eval-rl.json …`: the paper-style table from `sim eval --json` results.
struct RLReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print the paper-style table (SFT | + FA-GRPO | + FA-GRPO & FlowScale | Flow-GRPO) per task.",
        discussion: """
        Each input is a JSON file written by 'sim eval --json' (task, method, per-run success rates); the method
        (column) comes from the evaluated policy's run file: SFT, or the RL objective in its config. Several files
        for one cell are pooled (mean ± sample std over all their runs).
        """)

    @Argument(help: "Evaluation JSON files from 'sim eval --json'.") var results: [String]
    @Flag(help: "Markdown table instead of aligned text.") var markdown = false

    func run() throws {
        guard !results.isEmpty else { throw CLIError("results: expected at least one 'sim eval --json' file") }
        print(try Self.table(results).render(markdown: markdown))
    }

    /// The table of the given result files.
    static func table(_ paths: [String]) throws -> ResultsTable {
        var table = ResultsTable()
        var first: (input: String, file: String)?
        for path in paths {
            let json = try JSONValue.parse(try readText(path, option: "results"))
            // Files from before the switch existed were all evaluated on the measured state.
            let input = json["stateInput"]?.stringValue ?? "measured"
            if let first, first.input != input {
                throw CLIError("\(path): evaluated with the \(input) state, \(first.file) with the \(first.input) state; report each protocol separately")
            }
            first = first ?? (input, path)
            guard let task = json["task"]?.stringValue else { throw CLIError("\(path): expected a string 'task'") }
            guard let name = json["method"]?.stringValue, let method = ResultsTable.Method(rawValue: name) else {
                throw CLIError("\(path): expected 'method' one of sft, faGRPO, flowScale, flowGRPO, got \(json["method"]?.serialized() ?? "nothing")")
            }
            guard case .array(let items)? = json["rates"] else { throw CLIError("\(path): expected an array 'rates'") }
            let rates = try items.map { item -> Double in
                guard let r = item.doubleValue else { throw CLIError("\(path): rates must be numbers, got \(item.serialized())") }
                return r
            }
            do { try table.add(task: task, method: method, rates: rates) } catch { throw CLIError("\(path): \(error)") }
        }
        return table
    }
}
