import ArgumentParser
import Foundation
import PNGImage
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
        With several policies in one cell (RL seeds, learning rates), --select-on SEED_BASE chooses each cell's policy
        by its mean on that seed base (validation) and tabulates the chosen policy on the other seed bases only;
        --across-policies shows the mean ± std over the cell's policies (each policy's mean is one sample). Both
        together choose within each run file (among its checkpoints, 'sim eval --step') on the validation seeds, then
        show the mean ± std over the runs of their chosen checkpoints on the other seeds. A policy is its run file
        (the absolute path 'sim eval --json' writes) at its --step.
        """)

    @Argument(help: "Evaluation JSON files from 'sim eval --json'.") var results: [String]
    @Flag(help: "Markdown table instead of aligned text.") var markdown = false
    @Option(help: "Validation seed base: per task and method, report only the policy with the best mean on these seeds, on the other seeds.")
    var selectOn: Int?
    @Flag(help: "Mean ± std over the policies of each cell (RL seeds), not over evaluation runs.") var acrossPolicies = false
    @Option(help: "Also plot each run file's success against its checkpoint step ('sim eval --step') to this PNG, on --plot-seed-base.")
    var plotSteps: String?
    @Option(help: "The seed base that --plot-steps plots (default: --select-on's).") var plotSeedBase: Int?

    func run() throws {
        guard !results.isEmpty else { throw CLIError("results: expected at least one 'sim eval --json' file") }
        let parsed = try Self.results(results, needSeedBase: selectOn != nil || plotSteps != nil)
        if let plotSteps {
            guard let base = plotSeedBase ?? selectOn else { throw CLIError("--plot-steps: give --plot-seed-base (or --select-on)") }
            try Self.plotStepCurves(parsed, seedBase: base, to: plotSteps)
        } else if plotSeedBase != nil {
            throw CLIError("--plot-seed-base: only meaningful with --plot-steps")
        }
        switch (selectOn, acrossPolicies) {
        case (.some(let base), let perRun):
            let selection: PolicySelection
            do { selection = try PolicySelection(parsed, validationSeedBase: base, perRunFile: perRun) } catch { throw CLIError("\(error)") }
            print("chosen on the validation seeds \(base) (mean %, best per \(perRun ? "run file" : "task and method")):")
            for choice in selection.choices {
                let candidates = choice.candidates.map { c in
                    (c.policy == choice.policy ? "*" : "") + c.policy + " " + (c.validationPercent.map { String(format: "%.1f", $0) } ?? "—")
                }
                print("  \(choice.task) \(choice.method.title): " + candidates.joined(separator: ", "))
            }
            print("the chosen policies on the other seeds (mean ± std over \(perRun ? "runs, each its chosen checkpoint's mean" : "evaluation runs")):")
            print(selection.table.render(markdown: markdown))
        case (nil, true):
            do { print(try PolicySelection.acrossPolicies(parsed).render(markdown: markdown)) } catch { throw CLIError("\(error)") }
            print("(mean ± std over each cell's policies; each policy's mean over its evaluation runs is one sample)")
        case (nil, false):
            print(try Self.table(parsed, paths: results).render(markdown: markdown))
        }
    }

    /// Writes the PNG of every run file's success on `seedBase` against its checkpoint step.
    static func plotStepCurves(_ parsed: [PolicySelection.Result], seedBase: Int, to path: String) throws {
        let curves = PolicySelection.stepCurves(parsed, seedBase: seedBase)
        guard !curves.isEmpty else {
            throw CLIError("--plot-steps: no results of checkpoints ('sim eval --step') on the seed base \(seedBase)")
        }
        let series = curves.enumerated().map { i, curve in
            LinePlot.Series(name: (curve.run as NSString).lastPathComponent, points: curve.points.map { (Double($0.step), $0.percent) },
                            color: LinePlot.palette[i % LinePlot.palette.count])
        }
        // The plot's bitmap font has ASCII only.
        let plot = try LinePlot(title: "success on seeds \(seedBase)+ by checkpoint", xLabel: "RL iteration (checkpoint)",
                                yLabel: "success (percent)", series: series)
        try PNGImageWriter().write(try plot.render(), to: path)
        print("wrote \(path) (\(curves.count) runs)")
    }

    /// The table of the given result files, every file's runs pooled into its cell.
    static func table(_ paths: [String]) throws -> ResultsTable { try table(try results(paths), paths: paths) }

    /// The table of already parsed result files (`paths` name them in errors).
    static func table(_ parsed: [PolicySelection.Result], paths: [String]) throws -> ResultsTable {
        var table = ResultsTable()
        for (path, result) in zip(paths, parsed) {
            do { try table.add(task: result.task, method: result.method, rates: result.rates) } catch { throw CLIError("\(path): \(error)") }
        }
        return table
    }

    /// The parsed result files; all must share one state protocol.
    static func results(_ paths: [String], needSeedBase: Bool = false) throws -> [PolicySelection.Result] {
        var parsed: [PolicySelection.Result] = []
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
                throw CLIError("\(path): expected 'method' one of \(ResultsTable.Method.allCases.map(\.rawValue).joined(separator: ", ")), got \(json["method"]?.serialized() ?? "nothing")")
            }
            guard case .array(let items)? = json["rates"] else { throw CLIError("\(path): expected an array 'rates'") }
            let rates = try items.map { item -> Double in
                guard let r = item.doubleValue, r >= 0, r <= 1 else {
                    throw CLIError("\(path): rates must be numbers in [0, 1], got \(item.serialized())")
                }
                return r
            }
            // One policy = one run file at one checkpoint; files without a policy are each their own.
            let step = json["step"]?.doubleValue.map { "@\(Int($0))" } ?? ""
            let policy = (json["policy"]?.stringValue ?? path) + step
            let seedBase = json["seedBase"]?.doubleValue.map { Int($0) }
            if needSeedBase && seedBase == nil { throw CLIError("\(path): expected a number 'seedBase' to select on (written by 'sim eval --json')") }
            parsed.append(.init(task: task, method: method, policy: policy, seedBase: seedBase ?? 0, rates: rates))
        }
        return parsed
    }
}
