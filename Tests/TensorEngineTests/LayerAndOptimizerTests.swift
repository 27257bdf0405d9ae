import Foundation
import ProphRLCore
import Testing
@testable import TensorEngine

/// A small model with nested modules and an array of blocks, for parameter paths.
private final class Toy: Module {
    let blocks: [MLP]
    let head: Linear
    let norm: LayerNorm?
    init(rng: inout SeededGenerator) throws {
        blocks = [try MLP([2, 3], rng: &rng), try MLP([3, 3, 3], rng: &rng)]
        head = try Linear(3, 1, bias: false, rng: &rng)
        norm = try LayerNorm(3)
    }
}

@Suite struct LayerAndOptimizerTests {
    @Test func parametersAreKeyedByDottedPath() throws {
        var rng = SeededGenerator(seed: 1)
        let toy = try Toy(rng: &rng)
        #expect(toy.parameters().keys.sorted() == [
            "blocks.0.layers.0.bias", "blocks.0.layers.0.weight", "blocks.1.layers.0.bias", "blocks.1.layers.0.weight",
            "blocks.1.layers.1.bias", "blocks.1.layers.1.weight", "head.weight", "norm.bias", "norm.weight",
        ])
        toy.freeze("blocks.1")
        #expect(toy.trainableParameters().keys.sorted() == ["blocks.0.layers.0.bias", "blocks.0.layers.0.weight", "head.weight", "norm.bias", "norm.weight"])
        toy.unfreeze()
        #expect(toy.trainableParameters().count == 9)
        #expect(throws: TensorError.self) { try toy.update(parameters: ["head.weight": Tensor.zeros([2, 3])]) }
        #expect(throws: TensorError.self) { try toy.update(parameters: ["nope": Tensor.zeros([1])]) }
    }

    @Test func embeddingNormAndConvLayers() throws {
        var rng = SeededGenerator(seed: 11)
        let embedding = try Embedding(5, 3, rng: &rng)
        let rows = try embedding([4, 0, 4])
        #expect(rows.shape == [3, 3])
        #expect(Array(rows.scalars[0..<3]) == Array(embedding.weight.value.scalars[12..<15]))
        let (_, grads) = try valueAndGrad(embedding) { m in try m([4, 0, 4]).sum() }
        #expect(grads["weight"]?.scalars == [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2])   // row 4 used twice
        #expect(throws: TensorError.self) { try embedding([5]) }
        #expect(try LayerNorm(4, affine: false).parameters().isEmpty)
        let norm = try RMSNorm(4)
        let x = try randn([2, 4], seed: 12)
        #expect(allClose(try norm(x).scalars, try x.rmsNorm().scalars))
        let conv = try Conv3d(2, 3, kernel: (2, 1, 1), causalTemporal: true, rng: &rng)
        #expect(try conv(randn([1, 4, 2, 2, 2], seed: 13)).shape == [1, 4, 2, 2, 3])
        #expect(conv.parameters().keys.sorted() == ["bias", "weight"])
    }

    @Test func linearGradientsMatchFiniteDifferences() throws {
        var rng = SeededGenerator(seed: 2)
        let layer = try Linear(4, 3, rng: &rng)
        let x = try randn([2, 5, 4], seed: 3)
        try checkGradients([x, layer.weight.value, layer.bias!.value]) { p in try (p[0].matmul(p[1], transposeOther: true) + p[2]).tanh() }
        // valueAndGrad over the module agrees with the tensor-level gradient.
        let (_, grads) = try valueAndGrad(layer) { m in try m(x).tanh().sum() }
        let (_, reference) = try valueAndGrad(at: [layer.weight.value, layer.bias!.value]) { p in
            try (x.matmul(p[0], transposeOther: true) + p[1]).tanh().sum()
        }
        #expect(allClose(grads["weight"]?.scalars ?? [], reference[0].scalars, rtol: 1e-6, atol: 1e-6))
        #expect(allClose(grads["bias"]?.scalars ?? [], reference[1].scalars, rtol: 1e-6, atol: 1e-6))
    }

    @Test func smallMLPFitsARegression() throws {
        var rng = SeededGenerator(seed: 4)
        let model = try MLP([2, 32, 32, 1], activation: .silu, rng: &rng)
        let x = try Tensor.uniform([128, 2], low: -1, high: 1, using: &rng)
        let target = try Tensor((0..<128).map { i in
            sin(3 * x.scalars[2 * i]) + x.scalars[2 * i + 1] * x.scalars[2 * i + 1]
        }, shape: [128, 1])
        let optimizer = AdamW(learningRate: 1e-2, weightDecay: 0)
        let schedule = try WarmupCosineSchedule(peak: 1e-2, minimum: 1e-3, warmupSteps: 20, totalSteps: 400)
        var first: Float = 0, last: Float = 0
        for step in 0..<400 {
            optimizer.learningRate = schedule.learningRate(at: step)
            let (loss, grads) = try valueAndGrad(model) { m in try m(x).mseLoss(target) }
            try optimizer.update(model, gradients: clipGradientNorm(grads, maxNorm: 5).gradients)
            if step == 0 { first = try loss.item() }
            last = try loss.item()
        }
        // The target's variance is ≈ 0.6; a fitted network is two orders of magnitude below it.
        #expect(first > 0.2)
        #expect(last < 5e-3)
    }

    @Test func adamWMatchesANaiveDoubleReference() throws {
        var rng = SeededGenerator(seed: 5)
        let layer = try Linear(3, 2, rng: &rng)
        let optimizer = AdamW(learningRate: 0.1, beta1: 0.8, beta2: 0.95, eps: 1e-6, weightDecay: 0.1)
        var p = layer.weight.value.scalars.map(Double.init)
        var m = [Double](repeating: 0, count: p.count), v = m
        for step in 1...3 {
            let g = try randn([2, 3], seed: UInt64(10 + step))
            try optimizer.update(layer, gradients: ["weight": g])
            for i in p.indices {
                let gi = Double(g.scalars[i])
                m[i] = 0.8 * m[i] + 0.2 * gi
                v[i] = 0.95 * v[i] + 0.05 * gi * gi
                let mh = m[i] / (1 - pow(0.8, Double(step))), vh = v[i] / (1 - pow(0.95, Double(step)))
                p[i] = p[i] * (1 - 0.1 * 0.1) - 0.1 * mh / (vh.squareRoot() + 1e-6)
            }
        }
        #expect(allClose(layer.weight.value.scalars, p.map(Float.init), rtol: 1e-5, atol: 1e-6))
    }

    @Test func optimizerStateRoundTripResumesExactly() throws {
        func run(_ steps: ClosedRange<Int>, _ layer: Linear, _ optimizer: AdamW) throws {
            for step in steps {
                try optimizer.update(layer, gradients: ["weight": randn([2, 3], seed: UInt64(step)), "bias": randn([2], seed: UInt64(100 + step))])
            }
        }
        var r1 = SeededGenerator(seed: 6), r2 = SeededGenerator(seed: 6)
        let a = try Linear(3, 2, rng: &r1), b = try Linear(3, 2, rng: &r2)
        let oa = AdamW(learningRate: 0.05)
        try run(1...5, a, oa)
        let ob = AdamW(learningRate: 0.05)
        try run(1...2, b, ob)
        let saved = ob.stateTensors()
        let resumed = AdamW(learningRate: 0.05)
        try resumed.loadState(saved)
        try run(3...5, b, resumed)
        #expect(a.weight.value.scalars == b.weight.value.scalars)
        #expect(a.bias?.value.scalars == b.bias?.value.scalars)
        #expect(throws: TensorError.self) { try AdamW(learningRate: 1).loadState(["bogus": Tensor(scalar: 1)]) }
    }

    @Test func sgdMomentumAndClipping() throws {
        var rng = SeededGenerator(seed: 7)
        let layer = try Linear(1, 1, bias: false, rng: &rng)
        let w0 = layer.weight.value.scalars[0]
        let sgd = SGD(learningRate: 0.1, momentum: 0.9)
        let g = try Tensor([1], shape: [1, 1])
        try sgd.update(layer, gradients: ["weight": g])
        try sgd.update(layer, gradients: ["weight": g])
        // b1 = 1, b2 = 0.9·1 + 1 = 1.9; w = w0 − 0.1·(1 + 1.9)
        #expect(abs(layer.weight.value.scalars[0] - (w0 - 0.29)) < 1e-6)
        let grads = ["a": try Tensor([3, 4], shape: [2]), "b": try Tensor([12], shape: [1])]
        let (clipped, norm) = clipGradientNorm(grads, maxNorm: 1.3)
        #expect(abs(norm - 13) < 1e-5)
        #expect(allClose(clipped["a"]!.scalars, [0.3, 0.4], rtol: 1e-4) && allClose(clipped["b"]!.scalars, [1.2], rtol: 1e-4))
    }

    @Test func warmupCosineSchedulePoints() throws {
        let s = try WarmupCosineSchedule(peak: 1, minimum: 0.1, warmupSteps: 10, totalSteps: 110)
        #expect(abs(s.learningRate(at: 0) - 0.1) < 1e-6)
        #expect(abs(s.learningRate(at: 9) - 1) < 1e-6)
        #expect(abs(s.learningRate(at: 10) - 1) < 1e-6)
        #expect(abs(s.learningRate(at: 60) - 0.55) < 1e-6)   // halfway: (peak + min) / 2
        #expect(abs(s.learningRate(at: 500) - 0.1) < 1e-6)
        #expect(throws: TensorError.self) { try WarmupCosineSchedule(peak: 1, warmupSteps: 5, totalSteps: 5) }
    }

    @Test func loraReproducesBaseAndTrainsOnlyAdapters() throws {
        var rng = SeededGenerator(seed: 8)
        let base = try Linear(6, 4, rng: &rng)
        let baseWeight = base.weight.value.scalars
        let x = try randn([5, 6], seed: 9)
        let before = try base(x).scalars
        let lora = try LoRALinear(base, rank: 2, alpha: 4, rng: &rng)
        #expect(try lora(x).scalars == before)
        #expect(lora.trainableParameters().keys.sorted() == ["loraA", "loraB"])
        let target = try randn([5, 4], seed: 10)
        let optimizer = AdamW(learningRate: 0.05, weightDecay: 0)
        var losses: [Float] = []
        for _ in 0..<50 {
            let (loss, grads) = try valueAndGrad(lora) { m in try m(x).mseLoss(target) }
            #expect(grads.keys.sorted() == ["loraA", "loraB"])
            try optimizer.update(lora, gradients: grads)
            losses.append(try loss.item())
        }
        #expect(losses.last! < 0.5 * losses.first!)
        #expect(base.weight.value.scalars == baseWeight)
        let adapted = try lora(x).scalars
        try lora.merge()
        #expect(allClose(try lora(x).scalars, adapted, rtol: 1e-4, atol: 1e-5))
        #expect(allClose(try base(x).scalars, adapted, rtol: 1e-4, atol: 1e-5))
        try lora.unmerge()
        #expect(allClose(base.weight.value.scalars, baseWeight, rtol: 1e-5, atol: 1e-6))
    }
}
