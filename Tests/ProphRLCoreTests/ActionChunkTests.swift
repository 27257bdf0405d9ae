import Testing
@testable import ProphRLCore

@Suite("Action chunks: layout, padding and mask")
struct ActionChunkTests {
    func randomAction(_ rng: inout SeededGenerator) throws -> EndEffectorAction {
        try EndEffectorAction(values: (0..<7).map { _ in rng.nextGaussian() })
    }

    @Test("Layout is [CH, Nmax, 7]; flat rows are [CH, Nmax·7]; per-effector views and actions read back")
    func layout() throws {
        var rng = SeededGenerator(seed: 21)
        let steps = 4, effectors = 2, maxEffectors = 3
        let rows = try (0..<steps).map { _ in try (0..<effectors).map { _ in try randomAction(&rng) } }
        let chunk = try ActionChunk(actions: rows, maxEffectors: maxEffectors)
        #expect(chunk.values.count == steps * maxEffectors * 7)
        #expect(chunk.flatDimension == 21)
        #expect(chunk.validity == [true, true, false])
        #expect(chunk.validEffectorCount == 2)
        for c in 0..<steps {
            for n in 0..<effectors {
                for k in 0..<7 {
                    #expect(chunk.flat[c * chunk.flatDimension + n * 7 + k] == Float(rows[c][n].values[k]))
                }
                let back = try #require(try chunk.action(step: c, effector: n))
                #expect(zip(back.values, rows[c][n].values).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($1)) })
            }
            #expect(try chunk.action(step: c, effector: 2) == nil)
        }
        let second = try chunk.flat(effector: 1)
        #expect(second.count == steps * 7)
        #expect(second[7 + 3] == Float(rows[1][1].roll))
    }

    @Test("Padded slots are forced to zero and masked out of losses")
    func paddingStaysZero() throws {
        var rng = SeededGenerator(seed: 22)
        let steps = 3, maxEffectors = 3
        let validity = [true, false, true]
        let values = (0..<steps * maxEffectors * 7).map { _ in Float(rng.nextGaussian()) }
        var withGarbage = values
        withGarbage[7] = .nan   // a NaN in a padded slot is discarded, not an error
        let chunk = try ActionChunk(steps: steps, maxEffectors: maxEffectors, values: withGarbage, validity: validity)
        let mask = chunk.elementMask
        #expect(mask.count == chunk.values.count)
        for (i, value) in chunk.values.enumerated() {
            let slot = (i / 7) % maxEffectors
            #expect(mask[i] == (validity[slot] ? 1 : 0))
            #expect(value == (validity[slot] ? values[i] : 0))
        }
        #expect(try chunk.flat(effector: 1).allSatisfy { $0 == 0 })
        // A masked loss ignores whatever a model predicts for padding.
        let prediction = chunk.values.enumerated().map { i, v in mask[i] == 1 ? v : 1000 }
        let loss = zip(prediction, chunk.values).enumerated().reduce(Float(0)) { acc, e in
            acc + mask[e.offset] * (e.element.0 - e.element.1) * (e.element.0 - e.element.1)
        }
        #expect(loss == 0)
        #expect(mask.reduce(0, +) == Float(steps * 2 * 7))
    }

    @Test("Bad shapes and values throw ValidationError naming the argument")
    func badInput() throws {
        let seven = [Float](repeating: 0, count: 7)
        #expect { try ActionChunk(steps: 0, maxEffectors: 1, values: [], validity: [true]) } throws: {
            ($0 as? ValidationError)?.argument == "steps"
        }
        #expect { try ActionChunk(steps: 1, maxEffectors: 1, values: seven, validity: [true, false]) } throws: {
            ($0 as? ValidationError)?.argument == "validity"
        }
        #expect { try ActionChunk(steps: 1, maxEffectors: 1, values: seven, validity: [false]) } throws: {
            ($0 as? ValidationError)?.argument == "validity"
        }
        #expect { try ActionChunk(steps: 2, maxEffectors: 1, values: seven, validity: [true]) } throws: {
            $0 as? ValidationError == .shapeMismatch(argument: "values", expected: "[2, 1, 7]", actual: "7 elements")
        }
        var bad = seven
        bad[3] = .infinity
        #expect(throws: ValidationError.nonFinite(argument: "values", index: 3, value: .infinity)) {
            try ActionChunk(steps: 1, maxEffectors: 1, values: bad, validity: [true])
        }
        let action = try EndEffectorAction.zero(gripper: 1)
        #expect(throws: ValidationError.empty(argument: "actions")) { try ActionChunk(actions: [], maxEffectors: 1) }
        #expect { try ActionChunk(actions: [[action, action]], maxEffectors: 1) } throws: {
            ($0 as? ValidationError)?.argument == "actions"
        }
        #expect { try ActionChunk(actions: [[action], [action, action]], maxEffectors: 2) } throws: {
            ($0 as? ValidationError)?.argument == "actions[1]"
        }
        let huge = try EndEffectorAction(x: 1e300, y: 0, z: 0, roll: 0, pitch: 0, yaw: 0, gripper: 1)
        #expect { try ActionChunk(actions: [[huge]], maxEffectors: 1) } throws: {
            ($0 as? ValidationError)?.argument == "values"
        }
        let chunk = try ActionChunk(actions: [[action]], maxEffectors: 1)
        #expect { try chunk.action(step: 1, effector: 0) } throws: { ($0 as? ValidationError)?.argument == "step" }
        #expect { try chunk.flat(effector: -1) } throws: { ($0 as? ValidationError)?.argument == "effector" }
    }
}
