import FlowPolicy
import ProphRL
import ProphRLCore
import ProphRLTesting
import Testing

/// Tiny sizes so every test runs in well under a second of compute.
func tinyConfiguration(seed: UInt64 = 1) -> FlowPolicyConfiguration {
    var c = FlowPolicyConfiguration()
    c.seed = seed
    c.chunkSteps = 2
    c.denoisingSteps = 3
    c.imageSize = 8
    c.patchSize = 4
    c.patchWidth = 8
    c.vocabularySize = 16
    c.wordWidth = 8
    c.conditionWidth = 16
    c.hiddenWidth = 32
    c.learningRate = 3e-3
    return c
}

/// A seeded observation: a 32×32 frame with a bright square at a seed-dependent place.
func observation(_ seed: UInt64, instruction: String = "pick up the bottle") throws -> Observation {
    var rng = SeededGenerator(seed: seed)
    let cx = Int(rng.next() % 24), cy = Int(rng.next() % 24)
    var pixels = [UInt8](repeating: 40, count: 32 * 32 * 3)
    for y in cy..<(cy + 8) { for x in cx..<(cx + 8) { for c in 0..<3 { pixels[(y * 32 + x) * 3 + c] = 230 } } }
    let position = Vector3(-0.6 + 0.1 * rng.nextUniform(), -0.1, 0.3)
    let state = try RobotState(effectors: [EndEffectorState(pose: try Pose(position: position, rotation: .identity),
                                                            gripper: rng.nextUniform())])
    return Observation(image: try RGBImage(width: 32, height: 32, pixels: pixels), instruction: instruction, state: state)
}

@Suite("FlowPolicy (small VLA with a flow action head)")
struct FlowPolicyTests {
    @Test("Satisfies the TrainablePolicy contract: recomputed means equal the stored ones (ratio 1)")
    func contract() async throws {
        let policy = try FlowPolicy(configuration: tinyConfiguration())
        try await PortContracts.checkTrainablePolicy(policy, observation: try observation(3))
    }

    @Test("Batched sampling equals one-by-one sampling, and ODE sampling ignores the seed")
    func batchedSampling() async throws {
        let policy = try FlowPolicy(configuration: tinyConfiguration())
        let observations = try (0..<3).map { try observation($0) }
        let modes: [PolicySampling] = [.stochastic(eta: 0.5, seed: 1), .deterministic, .stochastic(eta: 0.7, seed: 2)]
        let batched = try await policy.sample(observations, sampling: modes)
        for i in 0..<3 {
            let single = try await policy.act(on: observations[i], sampling: modes[i])
            for (a, b) in zip(single.chunk.values, batched[i].chunk.values) { #expect(abs(a - b) <= 1e-5 * max(1, abs(a))) }
        }
        #expect(batched[1].trace?.stds == [0, 0, 0])
        let trace = try #require(batched[0].trace)
        #expect(trace.states.count == 4 && trace.logProbs.allSatisfy { $0.count == 14 })
    }

    @Test("SFT: flow-matching steps make the ODE sample approach the demonstrated chunks")
    func imitationLearns() async throws {
        let policy = try FlowPolicy(configuration: tinyConfiguration())
        var rng = SeededGenerator(seed: 9)
        let examples = try (0..<4).map { i -> DemonstrationExample in
            let rows = (0..<2).map { _ in [0.02 * rng.nextGaussian(), 0.02 * rng.nextGaussian(), -0.01, 0, 0, 0.05, Double(i % 2)] }
            let chunk = try ActionChunk(actions: try rows.map { [try EndEffectorAction(values: $0)] }, maxEffectors: 1)
            return DemonstrationExample(observation: try observation(UInt64(i)), target: chunk)
        }
        func error() async throws -> Double {
            var total = 0.0
            for example in examples {
                let chunk = try policy.actionScaling.toRobot(try await policy.act(on: example.observation, sampling: .deterministic).chunk)
                for (i, (a, b)) in zip(chunk.values, example.target.values).enumerated() {
                    let scale = tinyConfiguration().actionScale[i % 7]
                    total += abs(Double(a - b)) / scale
                }
            }
            return total / Double(examples.count * 14)
        }
        let before = try await error()
        var losses: [Double] = []
        for _ in 0..<300 { losses.append(try await policy.imitationStep(on: examples).loss) }
        let after = try await error()
        #expect(after < 0.4 * before, "normalised error \(before) → \(after)")
        #expect(losses.suffix(20).reduce(0, +) < losses.prefix(20).reduce(0, +), "loss \(losses.prefix(3)) → \(losses.suffix(3))")
    }

    @Test("Descending ∂L/∂μ of L = ½‖μ − m‖² through applyMeansGradient lowers L; per-step norms cover every k")
    func meansGradientDescends() async throws {
        var c = tinyConfiguration()
        c.learningRate = 3e-3
        let policy = try FlowPolicy(configuration: c)
        let sample = try await policy.act(on: try observation(4), sampling: .stochastic(eta: 0.5, seed: 5))
        let records = [PolicyStepRecord(observation: try observation(4), trace: try #require(sample.trace))]
        let goal = 0.3
        func loss() async throws -> (Double, [[[Double]]]) {
            let means = try await policy.transitionMeans(for: records)
            var l = 0.0
            var gradient: [[[Double]]] = []
            for record in means {
                var perRecord: [[Double]] = []
                for row in record {
                    var g: [Double] = []
                    for m in row {
                        l += 0.5 * (m - goal) * (m - goal)
                        g.append(m - goal)
                    }
                    perRecord.append(g)
                }
                gradient.append(perRecord)
            }
            return (l, gradient)
        }
        let (start, _) = try await loss()
        for _ in 0..<60 {
            let (_, gradient) = try await loss()
            let report = try await policy.applyMeansGradient(gradient, for: records)
            #expect(report.perStepGradientNorms.count == 3 && report.perStepGradientNorms.allSatisfy { $0 > 0 })
        }
        let (end, _) = try await loss()
        #expect(end < 0.7 * start, "L \(start) → \(end)")
    }

    @Test("With frozen observation encoders a policy-gradient step changes only the flow action head")
    func frozenEncoders() async throws {
        let policy = try FlowPolicy(configuration: tinyConfiguration())
        await policy.freezeObservationEncoders(true)
        let sample = try await policy.act(on: try observation(6), sampling: .stochastic(eta: 0.5, seed: 7))
        let records = [PolicyStepRecord(observation: try observation(6), trace: try #require(sample.trace))]
        func weights() async throws -> [String: [UInt8]] {
            Dictionary(uniqueKeysWithValues: try await policy.checkpoint(step: 0, wallTime: 0).tensors.map { ($0.name, $0.bytes) })
        }
        let before = try await weights()
        let means = try await policy.transitionMeans(for: records)
        _ = try await policy.applyMeansGradient(means.map { $0.map { $0.map { $0 - 0.3 } } }, for: records)
        let after = try await weights()
        let changed = Set(before.keys.filter { before[$0] != after[$0] })
        #expect(!changed.isEmpty && changed.allSatisfy { $0.hasPrefix("velocityField.") }, "\(changed.sorted())")
        #expect(before.keys.contains { $0.hasPrefix("patchEmbedding") } && !changed.contains { $0.hasPrefix("patchEmbedding") })
    }

    @Test("Checkpoint round trip through a store resumes bit-exactly (weights, AdamW, counters)")
    func checkpointResume() async throws {
        let examples = try (0..<3).map { i in
            DemonstrationExample(observation: try observation(UInt64(i)),
                                 target: try ActionChunk(actions: [[try EndEffectorAction.zero(gripper: 1)],
                                                                   [try EndEffectorAction.zero(gripper: 0)]], maxEffectors: 1))
        }
        let straight = try FlowPolicy(configuration: tinyConfiguration())
        for _ in 0..<6 { _ = try await straight.imitationStep(on: examples) }

        let first = try FlowPolicy(configuration: tinyConfiguration())
        for _ in 0..<3 { _ = try await first.imitationStep(on: examples) }
        let store = InMemoryCheckpointStore()
        let config = JSONValue.object([(FlowPolicy.configurationKey, tinyConfiguration().json)]).serialized()
        try store.createRun(try RunRecord(kind: "policy-sft", configJSON: config, seed: 1, codeRevision: "test",
                                          blasThreads: 1, blasKernel: "test", created: "now"))
        try store.save(try await first.checkpoint(step: 3, wallTime: 0))
        let resumed = try await FlowPolicy.load(from: store)
        #expect(await resumed.imitationSteps == 3)
        for _ in 0..<3 { _ = try await resumed.imitationStep(on: examples) }
        let a = try await straight.checkpoint(step: 6, wallTime: 0), b = try await resumed.checkpoint(step: 6, wallTime: 0)
        #expect(a.tensors == b.tensors)
        #expect(a.optimizerState == b.optimizerState)
    }

    @Test("Bad configurations are typed errors naming the key")
    func badConfigurations() throws {
        func argument(_ json: String) -> String? {
            do { _ = try FlowPolicyConfiguration.parse(json: json); return nil } catch let error as ValidationError {
                return error.argument
            } catch { return "other: \(error)" }
        }
        #expect(argument(#"{"chunkSteps": 0}"#) == "chunkSteps")
        #expect(argument(#"{"hiddenWidth": "wide"}"#) == "hiddenWidth")
        #expect(argument(#"{"imageSize": 16, "patchSize": 5}"#) == "patchSize")
        #expect(argument(#"{"colour": 1}"#) == "colour")
        #expect(argument(#"{"actionScale": [1, 2]}"#) == "actionScale")
        #expect(argument(#"{"learningRate": -1}"#) == "learningRate")
        #expect(argument(#"{"observedFrame": "middle"}"#) == "observedFrame")
        #expect(argument(#"{"chunkSteps": 8}"#) == nil)
        #expect(throws: ValidationError.self) { var o = SFTOptions(); try o.apply([("batchSize", .integer(0))]) }
    }

    @Test("observedFrame first: the action follows the episode's first frame, not the current one; none is a typed error")
    func firstFrameObservation() async throws {
        var c = tinyConfiguration()
        c.observedFrame = .first
        #expect(try FlowPolicyConfiguration.parse(json: #"{"observedFrame": "first"}"#).observedFrame == .first)
        #expect(try FlowPolicyConfiguration.parse(json: c.json.serialized()) == c)
        let policy = try FlowPolicy(configuration: c)
        let a = try observation(3), b = try observation(4)
        var seen = a
        seen.firstImage = a.image
        var otherCurrent = seen
        otherCurrent.image = b.image
        var otherFirst = seen
        otherFirst.firstImage = b.image
        let base = try await policy.act(on: seen, sampling: .deterministic).chunk.values
        #expect(try await policy.act(on: otherCurrent, sampling: .deterministic).chunk.values == base)
        #expect(try await policy.act(on: otherFirst, sampling: .deterministic).chunk.values != base)
        do {
            _ = try await policy.act(on: a, sampling: .deterministic)
            Issue.record("expected an error for an observation without its first frame")
        } catch let error as ValidationError {
            #expect(error.argument == "observation.firstImage")
        }
        // The default policy reads the current frame.
        let latest = try FlowPolicy(configuration: tinyConfiguration())
        let current = try await latest.act(on: seen, sampling: .deterministic).chunk.values
        #expect(try await latest.act(on: otherCurrent, sampling: .deterministic).chunk.values != current)
    }

    @Test("Demonstration windows: one example per step, the tail padded with 'hold still'")
    func windows() throws {
        let frames = try (0..<4).map { _ in try RGBImage(width: 8, height: 8) }
        let state = try observation(1).state
        let chunks = try (0..<3).map { i in
            try ActionChunk(actions: [[try EndEffectorAction(values: [0.01 * Double(i + 1), 0, 0, 0, 0, 0, 0.2])]], maxEffectors: 1)
        }
        let episode = try Episode(id: "e", task: "t", instruction: "do it", seed: 0,
                                  video: try VideoClip(frames: frames, framesPerSecond: 10),
                                  states: [state, state, state], chunks: chunks, success: true)
        let examples = try DemonstrationWindows.examples(from: episode, chunkSteps: 2)
        #expect(examples.count == 3)
        #expect(examples.allSatisfy { $0.observation.firstImage == frames[0] })
        #expect(examples[0].target.values[0] == 0.01 && examples[0].target.values[7] == 0.02)
        #expect(examples[2].target.values[0] == 0.03 && examples[2].target.values[7] == 0 && examples[2].target.values[13] == 0.2)
    }
}
