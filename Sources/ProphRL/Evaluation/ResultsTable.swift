import ProphRLCore

/// The paper-style results table: success mean ± std per task for SFT, + FA-GRPO, + FA-GRPO & FlowScale and the
/// Flow-GRPO ablation, from evaluation results (one per policy and task; several for one cell are pooled).
///
/// ```swift
/// var table = ResultsTable()
/// table.add(task: "pick-bottle", method: .sft, rates: [0.40, 0.36, 0.42])
/// print(table.render(markdown: true))
/// ```
public struct ResultsTable: Sendable {
    /// A column of the table: the training stage or ablation that produced the policy.
    public enum Method: String, Sendable, CaseIterable, Equatable {
        case sft
        case faGRPO
        case flowScale
        case flowGRPO
        /// The control arm: an RL run whose group rewards were shuffled (`rewardControl shuffledInGroups`).
        case shuffledReward

        /// The column title used in the paper.
        public var title: String {
            switch self {
            case .sft: "SFT"
            case .faGRPO: "+ FA-GRPO"
            case .flowScale: "+ FA-GRPO & FlowScale"
            case .flowGRPO: "Flow-GRPO"
            case .shuffledReward: "control: shuffled reward"
            }
        }
    }

    /// Per-run success rates by task and method, tasks in order of first appearance.
    public private(set) var cells: [(task: String, rates: [Method: [Double]])] = []

    /// An empty table.
    public init() {}

    /// Adds the per-run success rates (each in [0, 1]) of one evaluation.
    /// - Throws: ``ValidationError`` for an empty task, no rates, or a rate outside [0, 1].
    public mutating func add(task: String, method: Method, rates: [Double]) throws {
        guard !task.isEmpty else { throw ValidationError.empty(argument: "task") }
        guard !rates.isEmpty else { throw ValidationError.empty(argument: "rates") }
        for (i, r) in rates.enumerated() where !(r >= 0 && r <= 1) {
            throw ValidationError.outOfRange(argument: "rates[\(i)]", expected: "in [0, 1]", actual: r)
        }
        if let i = cells.firstIndex(where: { $0.task == task }) {
            cells[i].rates[method, default: []] += rates
        } else {
            cells.append((task, [method: rates]))
        }
    }

    /// Mean and sample std (over runs) of a cell, in percent; nil when the cell is empty.
    public func summary(task: String, method: Method) -> (mean: Double, std: Double, runs: Int)? {
        guard let rates = cells.first(where: { $0.task == task })?.rates[method], !rates.isEmpty else { return nil }
        let mean = rates.reduce(0, +) / Double(rates.count)
        let variance = rates.count > 1 ? rates.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(rates.count - 1) : 0
        return (100 * mean, 100 * variance.squareRoot(), rates.count)
    }

    /// The table as aligned text, or as a Markdown table (mean ± std, the mean alone for one sample); columns without
    /// any result are left out.
    public func render(markdown: Bool) -> String {
        let methods = Method.allCases.filter { m in cells.contains { $0.rates[m] != nil } }
        let header = ["task"] + methods.map(\.title)
        let rows = cells.map { cell in
            [cell.task] + methods.map { m in
                // One sample has no spread: its mean alone, rather than a misleading "± 0.0".
                summary(task: cell.task, method: m).map { Self.format($0.mean) + ($0.runs > 1 ? " ± " + Self.format($0.std) : "") } ?? "—"
            }
        }
        if markdown {
            var lines = ["| " + header.joined(separator: " | ") + " |", "|" + header.map { _ in "---|" }.joined()]
            lines += rows.map { "| " + $0.joined(separator: " | ") + " |" }
            return lines.joined(separator: "\n")
        }
        let widths = header.indices.map { c in ([header] + rows).map { $0[c].count }.max() ?? 0 }
        func line(_ r: [String]) -> String {
            r.enumerated().map { $1 + String(repeating: " ", count: widths[$0] - $1.count) }.joined(separator: "   ")
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }

    /// One decimal, without Foundation.
    static func format(_ x: Double) -> String {
        let tenths = Int((x * 10).rounded())
        return "\(tenths < 0 ? "-" : "")\(abs(tenths) / 10).\(abs(tenths) % 10)"
    }
}
