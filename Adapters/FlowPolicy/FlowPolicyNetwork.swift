import ProphRLCore
import TensorEngine

/// The small VLA behind ``FlowPolicy``: a patch-embedding image encoder, a bag-of-words instruction encoder and a
/// robot-state encoder fused into a condition vector, and an MLP velocity field `v(x, τ | condition)` over a
/// whole chunk (the flow-matching action head). Parameter paths are the checkpoint's dotted keys.
final class FlowPolicyNetwork: Module {
    let patchEmbedding: Linear
    let imageProjection: Linear
    let words: Embedding
    let instructionProjection: Linear
    let stateProjection: Linear
    let fusion: Linear
    let velocityField: MLP
    let configuration: FlowPolicyConfiguration
    let tokenizer: InstructionTokenizer

    init(_ c: FlowPolicyConfiguration) throws {
        var rng = SeededGenerator(seed: c.seed).fork(0x1417)
        configuration = c
        tokenizer = InstructionTokenizer(vocabularySize: c.vocabularySize)
        patchEmbedding = try Linear(c.patchSize * c.patchSize * 3, c.patchWidth, rng: &rng)
        imageProjection = try Linear(c.patchCount * c.patchWidth, c.conditionWidth, rng: &rng)
        words = try Embedding(c.vocabularySize, c.wordWidth, rng: &rng)
        instructionProjection = try Linear(c.wordWidth, c.conditionWidth, rng: &rng)
        stateProjection = try Linear(ObservationFeatures.stateWidth, c.conditionWidth, rng: &rng)
        fusion = try Linear(c.conditionWidth, c.conditionWidth, rng: &rng)
        let input = c.chunkWidth + c.conditionWidth + ObservationFeatures.timeWidth
        velocityField = try MLP([input] + [Int](repeating: c.hiddenWidth, count: c.hiddenLayers) + [c.chunkWidth],
                           activation: .silu, rng: &rng)
    }

    /// The condition vectors `[B, conditionWidth]` of `observations`.
    func condition(_ observations: [Observation]) throws -> Tensor {
        let c = configuration, b = observations.count
        let patchValues = try observations.flatMap { try ObservationFeatures.patches($0, c) }
        let patches = try Tensor(patchValues, shape: [b * c.patchCount, c.patchSize * c.patchSize * 3])
        let embedded = try patchEmbedding(patches).silu().reshaped([b, c.patchCount * c.patchWidth])
        let image = try imageProjection(embedded)

        // Mean of word embeddings per instruction, as one matmul with an averaging matrix.
        let ids = observations.map { tokenizer.ids($0.instruction) }
        let total = ids.reduce(0) { $0 + $1.count }
        var averaging = [Float](repeating: 0, count: b * total)
        var column = 0
        for (row, list) in ids.enumerated() {
            for _ in list { averaging[row * total + column] = 1 / Float(list.count); column += 1 }
        }
        let pooled = try Tensor(averaging, shape: [b, total]).matmul(try words(ids.flatMap { $0 }))
        let instruction = try instructionProjection(pooled)

        let state = try stateProjection(try Tensor(observations.flatMap { ObservationFeatures.state($0.state) },
                                                   shape: [b, ObservationFeatures.stateWidth]))
        return try fusion(try (image + instruction + state).silu()).silu()
    }

    /// Velocities `[N, CH·7]` at chunk states `x` `[N, CH·7]` and times `taus` (N values), each row conditioned on
    /// row `conditionRows[n]` of `condition`.
    func velocity(x: Tensor, taus: [Double], condition: Tensor, conditionRows: [Int]) throws -> Tensor {
        let time = try Tensor(taus.flatMap(ObservationFeatures.time), shape: [taus.count, ObservationFeatures.timeWidth])
        let input = try Tensor.concat([x, try condition.gather(conditionRows), time], axis: 1)
        return try velocityField(input)
    }
}
