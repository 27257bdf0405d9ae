import ProphRLCore
import TensorEngine

/// The judge's classifier: a patch embedding and projection per sampled frame, the frame features pooled over
/// time (mean) and the last frame's features kept apart (success shows at the end), added to an instruction
/// embedding (mean of hashed word embeddings) and, for a judge that reads states, a projection of the sampled
/// states, then a two-layer head giving the success logit.
final class VideoJudgeNetwork: Module {
    let patchEmbedding: Linear
    let frameProjection: Linear
    let words: Embedding
    let instructionProjection: Linear
    /// nil for a video-only judge (its checkpoints have no `stateProjection.*` keys).
    let stateProjection: Linear?
    let hidden: Linear
    let output: Linear
    let configuration: VideoJudgeConfiguration

    init(_ c: VideoJudgeConfiguration) throws {
        var rng = SeededGenerator(seed: c.seed).fork(0x7d6e)
        configuration = c
        patchEmbedding = try Linear(c.patchSize * c.patchSize * 3, c.patchWidth, rng: &rng)
        frameProjection = try Linear(c.patchCount * c.patchWidth, c.hiddenWidth, rng: &rng)
        words = try Embedding(c.vocabularySize, c.wordWidth, rng: &rng)
        instructionProjection = try Linear(c.wordWidth, 2 * c.hiddenWidth, rng: &rng)
        hidden = try Linear(2 * c.hiddenWidth, c.hiddenWidth, rng: &rng)
        output = try Linear(c.hiddenWidth, 1, rng: &rng)
        // Drawn last, so a video-only judge's initial weights are what they were before states existed.
        stateProjection = c.statePoints > 0 ? try Linear(c.stateFeatureCount, 2 * c.hiddenWidth, rng: &rng) : nil
    }

    /// Success logits `[B, 1]` of `B` videos given as concatenated per-frame patch features, then state features
    /// (``VideoJudgeFeatures``), and their instructions' word ids.
    func logits(features: [Float], wordIDs: [[Int]]) throws -> Tensor {
        let c = configuration, b = wordIDs.count, f = c.sampledFrames
        let (videoWidth, stateWidth) = (c.videoFeatureCount, c.stateFeatureCount)
        var videoFeatures = features, stateFeatures: [Float] = []
        if stateWidth > 0 {
            videoFeatures = []
            for row in 0..<b {
                let start = row * (videoWidth + stateWidth)
                videoFeatures += features[start..<(start + videoWidth)]
                stateFeatures += features[(start + videoWidth)..<(start + videoWidth + stateWidth)]
            }
        }
        let patches = try Tensor(videoFeatures, shape: [b * f * c.patchCount, c.patchSize * c.patchSize * 3])
        let embedded = try patchEmbedding(patches).silu().reshaped([b * f, c.patchCount * c.patchWidth])
        let frames = try frameProjection(embedded).silu()                                 // [B·F, H]
        var averaging = [Float](repeating: 0, count: b * b * f)
        for row in 0..<b { for t in 0..<f { averaging[row * b * f + row * f + t] = 1 / Float(f) } }
        let pooled = try Tensor(averaging, shape: [b, b * f]).matmul(frames)               // [B, H]
        let last = try frames.gather((0..<b).map { $0 * f + f - 1 })                       // [B, H]
        let video = try Tensor.concat([pooled, last], axis: 1)

        let total = wordIDs.reduce(0) { $0 + $1.count }
        var wordAveraging = [Float](repeating: 0, count: b * total)
        var column = 0
        for (row, list) in wordIDs.enumerated() {
            for _ in list { wordAveraging[row * total + column] = 1 / Float(list.count); column += 1 }
        }
        let instruction = try instructionProjection(
            try Tensor(wordAveraging, shape: [b, total]).matmul(try words(wordIDs.flatMap { $0 })))
        var mixed = try video + instruction
        if let stateProjection { mixed = try mixed + stateProjection(try Tensor(stateFeatures, shape: [b, stateWidth])) }
        return try output(try hidden(try mixed.silu()).silu())
    }
}
