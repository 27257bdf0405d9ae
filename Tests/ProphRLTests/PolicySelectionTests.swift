import ProphRL
import ProphRLCore
import Testing

@Suite struct PolicySelectionTests {
    typealias Result = PolicySelection.Result
    static let validation = 60_000_000, evaluation = 50_000_000

    /// Three RL seeds of one method with validation and evaluation results, and one SFT policy.
    static let results: [Result] = [
        Result(task: "pick-bottle", method: .sft, policy: "sft", seedBase: validation, rates: [0.33, 0.36, 0.33]),
        Result(task: "pick-bottle", method: .sft, policy: "sft", seedBase: evaluation, rates: [0.48, 0.24, 0.37]),
        Result(task: "pick-bottle", method: .flowScale, policy: "s1", seedBase: validation, rates: [0.46, 0.37, 0.41]),
        Result(task: "pick-bottle", method: .flowScale, policy: "s2", seedBase: validation, rates: [0.37, 0.48, 0.34]),
        Result(task: "pick-bottle", method: .flowScale, policy: "s3", seedBase: validation, rates: [0.33, 0.40, 0.30]),
        Result(task: "pick-bottle", method: .flowScale, policy: "s1", seedBase: evaluation, rates: [0.52, 0.36, 0.44]),
        Result(task: "pick-bottle", method: .flowScale, policy: "s2", seedBase: evaluation, rates: [0.51, 0.27, 0.42]),
        Result(task: "pick-bottle", method: .flowScale, policy: "s3", seedBase: evaluation, rates: [0.37, 0.21, 0.31]),
    ]

    @Test func choosesTheBestValidationMeanAndReportsOnlyItsOtherSeeds() throws {
        let selection = try PolicySelection(Self.results, validationSeedBase: Self.validation)
        #expect(selection.choices.map(\.policy) == ["sft", "s1"])
        let flowScale = try #require(selection.choices.last)
        #expect(flowScale.candidates.map(\.policy) == ["s1", "s2", "s3"])
        // Validation means by hand: (46+37+41)/3, (37+48+34)/3, (33+40+30)/3.
        let expected = [124.0 / 3, 119.0 / 3, 103.0 / 3]
        for (c, e) in zip(flowScale.candidates, expected) { #expect(abs((c.validationPercent ?? -1) - e) < 1e-9) }
        // The table holds s1's evaluation runs only, never a validation run.
        let cell = try #require(selection.table.summary(task: "pick-bottle", method: .flowScale))
        #expect(abs(cell.mean - (52.0 + 36 + 44) / 3) < 1e-9 && cell.runs == 3)
        let sft = try #require(selection.table.summary(task: "pick-bottle", method: .sft))
        #expect(abs(sft.mean - (48.0 + 24 + 37) / 3) < 1e-9 && sft.runs == 3)
    }

    @Test func aTieGoesToTheFirstPolicy() throws {
        let tied = [
            Result(task: "t", method: .faGRPO, policy: "a", seedBase: 1, rates: [0.4]),
            Result(task: "t", method: .faGRPO, policy: "b", seedBase: 1, rates: [0.4]),
            Result(task: "t", method: .faGRPO, policy: "a", seedBase: 2, rates: [0.1]),
            Result(task: "t", method: .faGRPO, policy: "b", seedBase: 2, rates: [0.9]),
        ]
        #expect(try PolicySelection(tied, validationSeedBase: 1).choices.map(\.policy) == ["a"])
    }

    @Test func aTieBetweenCheckpointsGoesToTheEarliestStepInAnyOrder() throws {
        // The order a shell glob gives: run@12 before run@4 and run@8.
        let tied = [
            Result(task: "t", method: .flowScale, policy: "run@12", seedBase: 1, rates: [0.33]),
            Result(task: "t", method: .flowScale, policy: "run@16", seedBase: 1, rates: [0.27]),
            Result(task: "t", method: .flowScale, policy: "run@4", seedBase: 1, rates: [0.32]),
            Result(task: "t", method: .flowScale, policy: "run@8", seedBase: 1, rates: [0.33]),
            Result(task: "t", method: .flowScale, policy: "run@8", seedBase: 2, rates: [0.29]),
        ]
        for results in [tied, tied.reversed()] {
            let selection = try PolicySelection(results, validationSeedBase: 1, perRunFile: true)
            #expect(selection.choices.map(\.policy) == ["run@8"])
        }
        #expect(PolicySelection.earliest(["x@12", "y@4"]) == "x@12")   // different run files: the first
        #expect(PolicySelection.earliest(["x", "x@4"]) == "x")          // the run itself has no step: the first
        #expect(PolicySelection.earliest([]) == nil)
    }

    @Test func cellsThatCannotBeChosenOrReportedAreTypedErrors() {
        // Two policies, neither evaluated on the validation seeds.
        let unvalidated = [Result(task: "t", method: .faGRPO, policy: "a", seedBase: 2, rates: [0.1]),
                           Result(task: "t", method: .faGRPO, policy: "b", seedBase: 2, rates: [0.2])]
        #expect(throws: ValidationError.self) { try PolicySelection(unvalidated, validationSeedBase: 1) }
        // The chosen policy was only evaluated on the validation seeds.
        let unevaluated = [Result(task: "t", method: .faGRPO, policy: "a", seedBase: 1, rates: [0.5]),
                           Result(task: "t", method: .faGRPO, policy: "b", seedBase: 1, rates: [0.2]),
                           Result(task: "t", method: .faGRPO, policy: "b", seedBase: 2, rates: [0.2])]
        #expect(throws: ValidationError.self) { try PolicySelection(unevaluated, validationSeedBase: 1) }
    }

    @Test func perRunFileChoosesEachRunsCheckpointThenTakesOneSamplePerRun() throws {
        let results = [
            Result(task: "t", method: .sft, policy: "/r/sft.sqlite", seedBase: 2, rates: [0.3, 0.3]),
            Result(task: "t", method: .faGRPO, policy: "/r/a.sqlite@4", seedBase: 1, rates: [0.5]),
            Result(task: "t", method: .faGRPO, policy: "/r/a.sqlite@8", seedBase: 1, rates: [0.2]),
            Result(task: "t", method: .faGRPO, policy: "/r/b@v2.sqlite@4", seedBase: 1, rates: [0.1]),
            Result(task: "t", method: .faGRPO, policy: "/r/b@v2.sqlite@8", seedBase: 1, rates: [0.6]),
            Result(task: "t", method: .faGRPO, policy: "/r/a.sqlite@4", seedBase: 2, rates: [0.40, 0.44]),
            Result(task: "t", method: .faGRPO, policy: "/r/a.sqlite@8", seedBase: 2, rates: [0.9, 0.9]),
            Result(task: "t", method: .faGRPO, policy: "/r/b@v2.sqlite@8", seedBase: 2, rates: [0.30, 0.32]),
        ]
        let selection = try PolicySelection(results, validationSeedBase: 1, perRunFile: true)
        #expect(selection.choices.map(\.policy) == ["/r/sft.sqlite", "/r/a.sqlite@4", "/r/b@v2.sqlite@8"])
        // One sample per run: a@4's evaluation mean 0.42 and b@8's 0.31 (a@8's 0.9 was not chosen).
        let cell = try #require(selection.table.summary(task: "t", method: .faGRPO))
        #expect(cell.runs == 2 && abs(cell.mean - 100 * (0.42 + 0.31) / 2) < 1e-9, "\(cell)")
        // The curves per run on the validation seeds: a at steps 4 and 8, b at 4 and 8; SFT has no step.
        let curves = PolicySelection.stepCurves(results, seedBase: 1)
        #expect(curves.map(\.run) == ["/r/a.sqlite", "/r/b@v2.sqlite"])
        #expect(curves[1].points.map(\.step) == [4, 8] && abs(curves[1].points[1].percent - 60) < 1e-9)
        #expect(PolicySelection.stepCurves(results, seedBase: 2).map(\.run) == ["/r/a.sqlite", "/r/b@v2.sqlite"])
        #expect(PolicySelection.runFile(of: "/r/b@v2.sqlite@12") == "/r/b@v2.sqlite")
        #expect(PolicySelection.runFile(of: "/r/b@v2.sqlite") == "/r/b@v2.sqlite" && PolicySelection.runFile(of: "x@") == "x@")
    }

    @Test func acrossPoliciesTakesOneSamplePerPolicy() throws {
        let evaluationOnly = Self.results.filter { $0.seedBase == Self.evaluation }
        let table = try PolicySelection.acrossPolicies(evaluationOnly)
        let cell = try #require(table.summary(task: "pick-bottle", method: .flowScale))
        let means = [(52.0 + 36 + 44) / 3, (51.0 + 27 + 42) / 3, (37.0 + 21 + 31) / 3]
        let mean = means.reduce(0, +) / 3
        let std = (means.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 2).squareRoot()
        #expect(cell.runs == 3 && abs(cell.mean - mean) < 1e-9 && abs(cell.std - std) < 1e-9)
        // One policy in two files is still one sample.
        let split = [Result(task: "t", method: .sft, policy: "p", seedBase: 1, rates: [0.2]),
                     Result(task: "t", method: .sft, policy: "p", seedBase: 2, rates: [0.4])]
        let pooled = try #require(try PolicySelection.acrossPolicies(split).summary(task: "t", method: .sft))
        #expect(pooled.runs == 1 && abs(pooled.mean - 30) < 1e-9)
    }
}
