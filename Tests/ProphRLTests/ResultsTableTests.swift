import ProphRL
import ProphRLCore
import Testing

@Suite struct ResultsTableTests {
    @Test func meansAndStdsMatchANaiveComputation() throws {
        var table = ResultsTable()
        try table.add(task: "pick-bottle", method: .sft, rates: [0.40, 0.36, 0.42])
        try table.add(task: "pick-bottle", method: .flowScale, rates: [0.56, 0.48])
        try table.add(task: "pick-bottle", method: .flowScale, rates: [0.50])   // a second file pools into the cell
        let sft = try #require(table.summary(task: "pick-bottle", method: .sft))
        let mean = (40.0 + 36 + 42) / 3
        let std = (((40 - mean) * (40 - mean) + (36 - mean) * (36 - mean) + (42 - mean) * (42 - mean)) / 2).squareRoot()
        #expect(abs(sft.mean - mean) < 1e-9 && abs(sft.std - std) < 1e-9 && sft.runs == 3)
        #expect(table.summary(task: "pick-bottle", method: .flowScale)?.runs == 3)
        #expect(table.summary(task: "pick-bottle", method: .faGRPO) == nil)
    }

    @Test func markdownHasOneColumnPerMethodPresent() throws {
        var table = ResultsTable()
        try table.add(task: "place-cube", method: .sft, rates: [0.25])
        try table.add(task: "pick-bottle", method: .sft, rates: [0.5, 0.5])
        try table.add(task: "pick-bottle", method: .flowGRPO, rates: [0.1, 0.3])
        let lines = table.render(markdown: true).split(separator: "\n").map(String.init)
        #expect(lines[0] == "| task | SFT | Flow-GRPO |")
        #expect(lines[2] == "| place-cube | 25.0 | — |")   // one run: no spread to show
        #expect(lines[3].hasPrefix("| pick-bottle | 50.0 ± 0.0 | 20.0 ± 14.1 |"))
        #expect(table.render(markdown: false).contains("Flow-GRPO"))
    }

    @Test func badRatesAreTypedErrors() {
        var table = ResultsTable()
        #expect(throws: ValidationError.self) { try table.add(task: "t", method: .sft, rates: [1.5]) }
        #expect(throws: ValidationError.self) { try table.add(task: "t", method: .sft, rates: []) }
        #expect(throws: ValidationError.self) { try table.add(task: "", method: .sft, rates: [0.5]) }
    }
}
