import ProphRLCore

/// Chooses one policy per task and method on validation seeds and reports it on other seeds, or summarises the
/// spread across policies (RL seeds, learning rates) of one cell, from `sim eval` results.
///
/// Selection is the honest way to pick among RL seeds or settings: the choice sees only the validation seed base, and
/// the table shows the chosen policy's results on the evaluation seeds, which the choice never saw.
///
/// ```swift
/// let selection = try PolicySelection(results, validationSeedBase: 60_000_000)
/// print(selection.table.render(markdown: true))      // the chosen policies on the other seeds
/// ```
public struct PolicySelection: Sendable {
    /// One `sim eval` result: a policy's per-run success rates on a task, from one seed base.
    public struct Result: Sendable, Equatable {
        public var task: String
        public var method: ResultsTable.Method
        /// The evaluated policy: its run file and checkpoint (the identity that pairs validation and evaluation).
        public var policy: String
        public var seedBase: Int
        /// Per-run success rates in [0, 1].
        public var rates: [Double]

        /// A result; rates are checked when added to a table.
        public init(task: String, method: ResultsTable.Method, policy: String, seedBase: Int, rates: [Double]) {
            self.task = task
            self.method = method
            self.policy = policy
            self.seedBase = seedBase
            self.rates = rates
        }
    }

    /// The choice made in one cell: the policy with the best validation mean, and every candidate's mean (percent).
    public struct Choice: Sendable {
        public var task: String
        public var method: ResultsTable.Method
        public var policy: String
        /// The candidates' validation means in percent, in input order (one entry when there was nothing to choose).
        public var candidates: [(policy: String, validationPercent: Double?)]
    }

    /// One choice per task and method (per run file with `perRunFile`), in order of first appearance.
    public let choices: [Choice]
    /// The chosen policies' results on every seed base but the validation one (with `perRunFile`, one sample per
    /// chosen policy: its mean there).
    public let table: ResultsTable

    /// Chooses, in every (task, method) cell, the policy whose validation results have the highest mean and tabulates
    /// its results on the other seed bases. On a tie the earliest checkpoint of one run file wins (the less-trained
    /// policy, whatever order the files were given in: `run@12` sorts before `run@4` in a glob); otherwise the first.
    ///
    /// A cell whose results all come from one policy needs no validation result. Results from the validation seed
    /// base never enter the table.
    /// - Throws: ``ValidationError/invalid(argument:reason:)`` naming the cell when several policies have results but
    ///   none of them has a validation result, or when the chosen policy has no result on other seeds;
    ///   ``ValidationError`` from ``ResultsTable/add(task:method:rates:)`` for bad rates.
    ///
    /// With `perRunFile`, each RL run chooses among its own checkpoints (policies `path@step` of one `path`): the
    /// recipe "train, keep checkpoints, pick one on validation", repeated over RL seeds. The table then holds one
    /// sample per run, the chosen checkpoint's mean on the other seed bases, so its mean ± std are over runs.
    public init(_ results: [Result], validationSeedBase: Int, perRunFile: Bool = false) throws {
        var choices: [Choice] = []
        var table = ResultsTable()
        let groups = perRunFile
            ? Self.cells(results).flatMap { cell in
                Self.unique(cell.results.map { Self.runFile(of: $0.policy) }).map { run in
                    (task: cell.task, method: cell.method, results: cell.results.filter { Self.runFile(of: $0.policy) == run })
                }
            }
            : Self.cells(results)
        for cell in groups {
            let policies = Self.unique(cell.results.map(\.policy))
            let validation = cell.results.filter { $0.seedBase == validationSeedBase }
            let candidates = policies.map { policy in
                (policy: policy, validationPercent: Self.pooledMean(of: policy, in: validation).map { 100 * $0 })
            }
            let name = "\(cell.task) / \(cell.method.title)"
            let chosen: String
            if policies.count == 1 {
                chosen = policies[0]
            } else {
                let scored = candidates.compactMap { c in c.validationPercent.map { (c.policy, $0) } }
                guard let best = scored.map(\.1).max(), let first = Self.earliest(scored.filter { $0.1 == best }.map(\.0)) else {
                    throw ValidationError.invalid(argument: name, reason: "\(policies.count) policies but none was evaluated on the validation seeds \(validationSeedBase)")
                }
                chosen = first
            }
            let evaluation = cell.results.filter { $0.policy == chosen && $0.seedBase != validationSeedBase }
            guard !evaluation.isEmpty else {
                throw ValidationError.invalid(argument: name, reason: "the chosen policy \(chosen) has no result on seeds other than the validation seeds \(validationSeedBase)")
            }
            if perRunFile, let mean = Self.pooledMean(of: chosen, in: evaluation) {
                try table.add(task: cell.task, method: cell.method, rates: [mean])
            } else {
                for result in evaluation { try table.add(task: result.task, method: result.method, rates: result.rates) }
            }
            choices.append(Choice(task: cell.task, method: cell.method, policy: chosen, candidates: candidates))
        }
        self.choices = choices
        self.table = table
    }

    /// Every policy's mean as one sample per cell: the table's mean ± std are over policies (RL seeds, settings), not
    /// over evaluation runs. Results of one policy from several files are pooled into its mean first.
    /// - Throws: ``ValidationError`` from ``ResultsTable/add(task:method:rates:)`` for bad rates.
    public static func acrossPolicies(_ results: [Result]) throws -> ResultsTable {
        var table = ResultsTable()
        for cell in cells(results) {
            let means = unique(cell.results.map(\.policy)).compactMap { pooledMean(of: $0, in: cell.results) }
            try table.add(task: cell.task, method: cell.method, rates: means)
        }
        return table
    }

    /// Results grouped by task and method, in order of first appearance.
    static func cells(_ results: [Result]) -> [(task: String, method: ResultsTable.Method, results: [Result])] {
        var cells: [(task: String, method: ResultsTable.Method, results: [Result])] = []
        for result in results {
            if let i = cells.firstIndex(where: { $0.task == result.task && $0.method == result.method }) {
                cells[i].results.append(result)
            } else {
                cells.append((result.task, result.method, [result]))
            }
        }
        return cells
    }

    /// The mean over all runs of `policy` in `results`; nil when it has none.
    static func pooledMean(of policy: String, in results: [Result]) -> Double? {
        let rates = results.filter { $0.policy == policy }.flatMap(\.rates)
        return rates.isEmpty ? nil : rates.reduce(0, +) / Double(rates.count)
    }

    /// The run file of a policy named `path@step` (the name itself when it has no step).
    public static func runFile(of policy: String) -> String {
        guard let at = policy.lastIndex(of: "@"), !policy[policy.index(after: at)...].isEmpty,
              policy[policy.index(after: at)...].allSatisfy(\.isNumber) else { return policy }
        return String(policy[..<at])
    }

    /// Of tied policies, the one with the smallest checkpoint step when all are checkpoints of one run file;
    /// otherwise the first. Nil when `policies` is empty.
    public static func earliest(_ policies: [String]) -> String? {
        guard let first = policies.first else { return nil }
        let run = runFile(of: first)
        let steps = policies.compactMap { runFile(of: $0) == run ? step(of: $0) : nil }
        guard steps.count == policies.count else { return first }
        return zip(policies, steps).min { $0.1 < $1.1 }?.0
    }

    /// The checkpoint step of a policy named `path@step`; nil when it has none.
    static func step(of policy: String) -> Int? {
        let run = runFile(of: policy)
        return run == policy ? nil : Int(policy.dropFirst(run.count + 1))
    }

    /// The distinct values in order of first appearance.
    static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}

extension PolicySelection {
    /// Each run file's success (percent, pooled over runs) on `seedBase` against its checkpoint step, for runs with
    /// at least one stepped policy (`path@step`); points in step order, runs in order of first appearance.
    public static func stepCurves(_ results: [Result], seedBase: Int) -> [(run: String, points: [(step: Int, percent: Double)])] {
        let onBase = results.filter { $0.seedBase == seedBase }
        return unique(onBase.map { runFile(of: $0.policy) }).compactMap { run in
            let stepped = unique(onBase.map(\.policy).filter { runFile(of: $0) == run && $0 != run })
            let points = stepped.compactMap { policy -> (step: Int, percent: Double)? in
                guard let step = step(of: policy), let mean = pooledMean(of: policy, in: onBase) else { return nil }
                return (step, 100 * mean)
            }.sorted { $0.step < $1.step }
            return points.isEmpty ? nil : (run, points)
        }
    }
}
