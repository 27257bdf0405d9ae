import ProphRLCore
import Testing

@Suite("Objective invariants, padding and typed errors (rl-math.md §13 invariants)")
struct ObjectiveInvariantTests {
    static let shape = try! TrajectoryShape(batch: 6, outerSteps: 3, denoisingSteps: 4, chunk: 5, actionDim: 7)

    @Test("Invariant 2: every ratio is exactly 1 before the first update")
    func ratioOneOnPolicy() throws {
        let (batch, _) = try RL.randomProblem(Self.shape, seed: 1)
        let out = try FlowScaleObjective().evaluate(newLogProbs: batch.oldLogProbs, batch: batch, kl: nil)
        #expect(out.diagnostics.meanRatio == 1)
        #expect(out.diagnostics.maxAbsLogRatio == 0)
        #expect(out.diagnostics.clipFraction == 0)
        #expect(out.diagnostics.approxKL == 0)
        try FAGRPO.checkOnPolicy(newLogProbs: batch.oldLogProbs, batch: batch)
        var moved = batch.oldLogProbs
        moved.values[17] += 1e-12
        #expect(throws: ValidationError.self) { try FAGRPO.checkOnPolicy(newLogProbs: moved, batch: batch) }
    }

    @Test("Invariant 3: with α = 1, FlowScale A1 and A2 equal FA-GRPO in value and gradient")
    func alphaOneIsFAGRPO() throws {
        let (batch, new) = try RL.randomProblem(Self.shape, seed: 2)
        var rng = SeededGenerator(seed: 9)
        let kl = KLReference.k3(referenceLogProbs: RL.gaussian(Self.shape, &rng, offset: -1))
        let plain = try FAGRPO().evaluate(newLogProbs: new, batch: batch, kl: kl)
        for placement in [FlowScale.Placement.weightedLogRatio, .gradientOnly] {
            let scaled = try FlowScaleObjective(flowScale: FlowScale(alpha: 1, placement: placement))
                .evaluate(newLogProbs: new, batch: batch, kl: kl)
            #expect(scaled.loss == plain.loss, "\(placement)")
            #expect(scaled.gradientLogProbs == plain.gradientLogProbs, "\(placement)")
        }
    }

    @Test("Invariant 5: FlowScale weights average exactly 1 over k before the clip")
    func weightsAverageOne() throws {
        var rng = SeededGenerator(seed: 4)
        for _ in 0..<100 {
            let K = 1 + Int(rng.nextUniform() * 10)
            let variances = (0..<K).map { _ in rng.nextUniform() * rng.nextUniform() }
            let p = 0.25 + 1.5 * rng.nextUniform()
            let w = try FlowScale(power: p).normalizedWeights(variances: variances)
            RL.expectClose(w.reduce(0, +) / Double(K), 1, rtol: 1e-12, "mean w̃")
            let mixed = try FlowScale(power: p, alpha: 0.3, minWeight: 0, maxWeight: .greatestFiniteMagnitude)
                .weights(variances: variances)
            RL.expectClose(mixed.reduce(0, +) / Double(K), 1, rtol: 1e-12, "mean after α-mix")
        }
    }

    @Test("Padding never leaks: masked log-probs change neither the loss nor get a gradient",
          arguments: [0, 1, 2])
    func paddingNeverLeaks(which: Int) throws {
        let objective: any PolicyObjective = [FAGRPO(), FlowScaleObjective(), FlowGRPO()][which]
        let (batch, new) = try RL.randomProblem(Self.shape, seed: 5)
        var rng = SeededGenerator(seed: 6)
        let kl = KLReference.k3(referenceLogProbs: RL.gaussian(Self.shape, &rng, offset: -1))
        let before = try objective.evaluate(newLogProbs: new, batch: batch, kl: kl)
        var garbage = new
        var maskedElements = 0
        let shape = Self.shape
        for b in 0..<shape.batch { for s in 0..<shape.outerSteps { for c in 0..<shape.chunk
            where !batch.mask.isValid(b: b, s: s, c: c) {
            for k in 0..<shape.denoisingSteps { for d in 0..<shape.actionDim {
                let i = shape.index(b: b, s: s, k: k, c: c, d: d)
                garbage.values[i] = 1e6 * rng.nextGaussian()
                #expect(before.gradientLogProbs.values[i] == 0)
                maskedElements += 1
            } }
        } } }
        #expect(maskedElements > 0)
        let after = try objective.evaluate(newLogProbs: garbage, batch: batch, kl: kl)
        #expect(after.loss == before.loss)
    }

    @Test("Typed errors name the argument")
    func errors() throws {
        let (batch, new) = try RL.toyBatch()
        let shape = batch.shape
        #expect(throws: ValidationError.self) { try TrajectoryShape(batch: 2, outerSteps: 1, denoisingSteps: 0, chunk: 2, actionDim: 1) }
        var nan = new
        nan.values[2] = .nan
        do {
            _ = try FAGRPO().evaluate(newLogProbs: nan, batch: batch, kl: nil)
            Issue.record("NaN log-prob accepted")
        } catch let error as ValidationError {
            #expect(error.argument == "newLogProbs")
        }
        #expect(throws: ValidationError.self) {
            try PolicyGradientBatch(oldLogProbs: nan, advantages: [1, -1], mask: batch.mask)
        }
        #expect(throws: ValidationError.self) {
            try PolicyGradientBatch(oldLogProbs: new, advantages: [1, .infinity], mask: batch.mask)
        }
        // A mask for fewer rollouts than the batch.
        let short = try TerminationMask.allValid(batch: 1, outerSteps: 1, chunk: 2)
        #expect(throws: ValidationError.shapeMismatch(argument: "mask", expected: "[B=2, S=1, CH=2]", actual: "[B=1, S=1, CH=2]")) {
            try PolicyGradientBatch(oldLogProbs: new, advantages: [1, -1], mask: short)
        }
        #expect(throws: ValidationError.self) { try PolicyGradientBatch(oldLogProbs: new, advantages: [1], mask: batch.mask) }
        let negative = try StepValues(broadcasting: [0.5, -0.1], batch: 2, outerSteps: 1)
        #expect(throws: ValidationError.self) {
            try PolicyGradientBatch(oldLogProbs: new, advantages: [1, -1], mask: batch.mask, stds: negative)
        }
        #expect(throws: ValidationError.self) { try FlowScale().weights(variances: [0.1, -0.2]) }
        #expect(throws: ValidationError.outOfRange(argument: "minWeight", expected: "<= maxWeight (0.5)", actual: 2)) {
            try FlowScale(minWeight: 2, maxWeight: 0.5).weights(variances: [0.1, 0.2])
        }
        #expect(throws: ValidationError.self) { try FlowScale().weights(variances: []) }
        #expect(throws: ValidationError.self) {
            try FAGRPO(configuration: .init(clipEpsilon: 0)).evaluate(newLogProbs: new, batch: batch, kl: nil)
        }
        let other = try TrajectoryShape(batch: 2, outerSteps: 1, denoisingSteps: 3, chunk: 2, actionDim: 1)
        #expect(throws: ValidationError.self) {
            try FAGRPO().evaluate(newLogProbs: TrajectoryTensor(zeros: other), batch: batch, kl: nil)
        }
        #expect(throws: ValidationError.self) {
            try FlowScaleObjective().evaluate(newLogProbs: new, batch: batch, kl: nil)   // no stds recorded
        }
        #expect(throws: ValidationError.self) {
            try TrajectoryTensor(shape: shape, values: [0, 1])
        }
        let empty = try TerminationMask(positionDone: [[], []], outerSteps: 1, chunk: 2)
        #expect(throws: ValidationError.self) {
            try PolicyGradientBatch(oldLogProbs: new, advantages: [1, -1], mask: empty)
        }
    }
}
