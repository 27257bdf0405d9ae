import FlowPolicy
import Foundation
import ProphRL
import ProphRLCore
import Testing

/// The configs behind docs/results.md stay parseable.
@Suite("Committed configs")
struct CommittedConfigTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func resultsConfigsParse() throws {
        let rl = try String(contentsOf: Self.root.appendingPathComponent("configs/pick-bottle-rl.json"), encoding: .utf8)
        let file = try RLConfigFile.parse(json: rl, task: "pick-bottle")
        #expect(file.iterations == 60 && file.options.objective == .flowScale)
        let sft = try String(contentsOf: Self.root.appendingPathComponent("configs/pick-bottle-sft.json"), encoding: .utf8)
        guard case .object(let members) = try JSONValue.parse(sft), case .object(let inner)? = members.first(where: { $0.0 == "sft" })?.1 else {
            Issue.record("sft config has no 'sft' object"); return
        }
        var options = SFTOptions()
        try options.apply(inner)
        #expect(options.steps == 6000 && options.batchSize == 64)
        let prophet = try String(contentsOf: Self.root.appendingPathComponent("configs/pick-bottle-prophet-rl.json"), encoding: .utf8)
        let inProphet = try RLConfigFile.parse(json: prophet, task: "pick-bottle")
        #expect(inProphet.outerStepsGiven && inProphet.options.outerSteps == 12 && inProphet.iterations == 20)
        for (name, frozen) in [("pull-tissue-prophet-rl", false), ("pull-tissue-prophet-rl-frozen", true)] {
            let text = try String(contentsOf: Self.root.appendingPathComponent("configs/\(name).json"), encoding: .utf8)
            let tissue = try RLConfigFile.parse(json: text, task: "pull-tissue")
            #expect(tissue.options.outerSteps == 10 && tissue.iterations == 40 && tissue.freezeEncoders == frozen)
        }
        let bowl = try RLConfigFile.parse(json: try String(contentsOf: Self.root.appendingPathComponent("configs/place-bowl-prophet-rl.json"),
                                                           encoding: .utf8), task: "place-bowl")
        #expect(bowl.options.outerSteps == 14 && bowl.iterations == 16 && !bowl.freezeEncoders)
        for (name, task, outer) in [("place-bowl-prophet-rl-eta02", "place-bowl", 14), ("pick-bottle-prophet-rl-eta02", "pick-bottle", 12)] {
            let text = try String(contentsOf: Self.root.appendingPathComponent("configs/\(name).json"), encoding: .utf8)
            let file = try RLConfigFile.parse(json: text, task: task)
            #expect(file.options.eta == 0.2 && file.options.outerSteps == outer && file.options.seed == 1, "\(name)")
        }
        // Part 8: twice the rollouts per iteration, the same number of updates (minibatches twice as large).
        let g8 = try RLConfigFile.parse(json: try String(contentsOf: Self.root.appendingPathComponent("configs/pick-bottle-prophet-rl-g8.json"),
                                                         encoding: .utf8), task: "pick-bottle")
        #expect(g8.options.groupsPerIteration == 8 && g8.options.minibatchRollouts == 16 && g8.options.eta == 0.2 && g8.checkpointEvery == 5)
        #expect(try RLConfigFile.parse(json: #"{"keepCheckpoints": 5}"#, task: "pick-bottle").keepCheckpoints == 5)
        #expect(RLConfigFile().keepCheckpoints == 2)
        let anchored = try RLConfigFile.parse(json: #"{"anchorWeight": 0.5, "anchorBatch": 16}"#, task: "place-bowl")
        #expect(anchored.options.anchorWeight == 0.5 && anchored.options.anchorBatch == 16)
        #expect(anchored.json.serialized().contains(#""anchorWeight":0.5"#) && anchored.json.serialized().contains(#""anchorBatch":16"#),
                "\(anchored.json.serialized())")
        #expect(RLConfigFile().options.anchorWeight == 0 && !RLConfigFile().json.serialized().contains("anchor"))
        #expect(throws: ValidationError.outOfRange(argument: "anchorWeight", expected: ">= 0", actual: -1)) {
            try RLConfigFile.parse(json: #"{"anchorWeight": -1}"#, task: "place-bowl")
        }
        #expect(throws: ValidationError.self) { try RLConfigFile.parse(json: #"{"keepCheckpoints": 0}"#, task: "pick-bottle") }
        #expect(throws: ValidationError.invalid(argument: "freezeEncoders", reason: "expected true or false, got \"yes\"")) {
            try RLConfigFile.parse(json: #"{"freezeEncoders": "yes"}"#, task: "pull-tissue")
        }
    }

    @Test("The control configs are their recipes with each group's rewards shuffled, and say so in the run record")
    func controlConfigs() throws {
        for (name, recipe, task) in [("place-bowl-prophet-rl-control", "place-bowl-prophet-rl-eta02", "place-bowl"),
                                     ("pick-bottle-prophet-rl-control", "pick-bottle-prophet-rl-eta02", "pick-bottle")] {
            func load(_ file: String) throws -> RLConfigFile {
                try RLConfigFile.parse(json: try String(contentsOf: Self.root.appendingPathComponent("configs/\(file).json"), encoding: .utf8),
                                       task: task)
            }
            let control = try load(name)
            var recipeFile = try load(recipe)
            #expect(control.options.rewardControl == .shuffledInGroups && recipeFile.options.rewardControl == .none, "\(name)")
            recipeFile.options.rewardControl = .shuffledInGroups
            if task == "pick-bottle" { recipeFile.learningRate = 1e-4 }   // part 8: lr 1e-4 is steadier across seeds
            #expect(control == recipeFile, "\(name) differs from \(recipe) beyond the control")
            #expect(control.json.serialized().contains(#""rewardControl":"shuffledInGroups""#), "\(control.json.serialized())")
        }
        #expect(!RLConfigFile().json.serialized().contains("rewardControl"))
        #expect(throws: ValidationError.invalid(argument: "rewardControl", reason: "expected one of none, shuffledInGroups, got \"random\"")) {
            try RLConfigFile.parse(json: #"{"rewardControl": "random"}"#, task: "pick-bottle")
        }
    }
}
