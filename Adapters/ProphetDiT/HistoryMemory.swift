import ProphRLCore
import TensorEngine

/// FramePack-style history memory (world-model.md §4): 15 history latents split 12 | 2 | 1, patchified 1×2×2,
/// average-pooled (4,4,4) / (2,2,2) / none over the patch grid with replicate padding, projected 64 → D per
/// segment, plus a segment embedding; then one shared pair of linear maps gives the memory keys and values.
final class HistoryMemory: Module {
    let oldestProjection: Linear
    let middleProjection: Linear
    let newestProjection: Linear
    let segmentEmbedding: Parameter
    let keyProjection: Linear
    let valueProjection: Linear

    /// Segments as (latent count, pool kernel over (t, h, w) of the patch grid), oldest first.
    static let segments: [(count: Int, kernel: (Int, Int, Int))] = [(12, (4, 4, 4)), (2, (2, 2, 2)), (1, (1, 1, 1))]

    /// - Parameter patchEmbedding: the main patch embedding `[D, 4·C_in]`; its video-latent columns
    ///   initialise the three projections, so pooling + projection starts as FramePack's enlarged-kernel patchify.
    init(latentChannels: Int, width: Int, patchEmbedding: Tensor, inputChannels: Int, rng: inout SeededGenerator) throws {
        let c = latentChannels
        var columns: [Int] = []
        for pixel in 0..<4 { for channel in 0..<c { columns.append(pixel * inputChannels + channel) } }
        let videoWeights = try patchEmbedding.reshaped([width * 4 * inputChannels]).scalars
        var initial = [Float](repeating: 0, count: width * 4 * c)
        for row in 0..<width { for (j, column) in columns.enumerated() { initial[row * 4 * c + j] = videoWeights[row * 4 * inputChannels + column] } }
        let weight = try Tensor(initial, shape: [width, 4 * c])
        oldestProjection = try Linear(weight: weight, bias: nil)
        middleProjection = try Linear(weight: weight, bias: nil)
        newestProjection = try Linear(weight: weight, bias: nil)
        segmentEmbedding = Parameter(try Tensor.normal([3, width], std: 0.02, using: &rng))
        keyProjection = try Linear(width, width, bias: false, rng: &rng)
        valueProjection = try Linear(width, width, bias: false, rng: &rng)
    }

    /// Memory tokens per sample for a latent grid `h × w`.
    static func tokenCount(latentHeight h: Int, latentWidth w: Int) -> Int {
        segments.reduce(0) { total, segment in
            let k = segment.kernel
            return total + ceilDiv(segment.count, k.0) * ceilDiv(h / 2, k.1) * ceilDiv(w / 2, k.2)
        }
    }

    /// The RoPE position `[t, y, x]` of every memory token, in token order (world-model.md §4.2): a pooled token sits
    /// at the centre of the cells it averages (replicate-padded cells count as the last real cell), history latent j
    /// (0 = oldest) at time `j − 15`, so the newest latent is at −1 and the current chunk starts at 0.
    static func tokenPositions(latentHeight h: Int, latentWidth w: Int, historyLatents: Int = 15) -> [[Double]] {
        func centres(extent: Int, kernel: Int) -> [Double] {
            stride(from: 0, to: extent, by: kernel).map { start in
                let cells = (start..<(start + kernel)).map { Double(min($0, extent - 1)) }
                return cells.reduce(0, +) / Double(kernel)
            }
        }
        var positions: [[Double]] = [], first = 0
        for segment in segments {
            let k = segment.kernel
            let times = centres(extent: segment.count, kernel: k.0).map { Double(first) + $0 - Double(historyLatents) }
            first += segment.count
            for t in times {
                for y in centres(extent: h / 2, kernel: k.1) { for x in centres(extent: w / 2, kernel: k.2) { positions.append([t, y, x]) } }
            }
        }
        return positions
    }

    /// Memory keys and values `[B, M, D]` from history latents `[B, 15, h, w, C]` (oldest first).
    func callAsFunction(_ history: Tensor) throws -> (key: Tensor, value: Tensor) {
        let (b, h, w, c) = (history.shape[0], history.shape[2], history.shape[3], history.shape[4])
        var start = 0, parts: [Tensor] = []
        let projections = [oldestProjection, middleProjection, newestProjection]
        for (index, segment) in Self.segments.enumerated() {
            let latents = try history.slice(axis: 1, start..<(start + segment.count))
            start += segment.count
            var grid = try latents.patchify(2).reshaped([b, segment.count, h / 2, w / 2, 4 * c])
            grid = try Self.replicatePad(grid, to: segment.kernel)
            let pooled = try grid.avgPool3d(segment.kernel)
            let tokens = try pooled.reshaped([b, pooled.shape[1] * pooled.shape[2] * pooled.shape[3], 4 * c])
            let embedding = try segmentEmbedding.value.slice(axis: 0, index..<(index + 1))
            parts.append(try projections[index](tokens) + embedding)
        }
        let memory = try Tensor.concat(parts, axis: 1).layerNorm(eps: 1e-6)
        return (try keyProjection(memory), try valueProjection(memory))
    }

    /// Pads axes 1–3 of `[B, T, H, W, C]` to multiples of the kernel by repeating the last slice.
    static func replicatePad(_ x: Tensor, to kernel: (Int, Int, Int)) throws -> Tensor {
        var result = x
        for (axis, k) in [(1, kernel.0), (2, kernel.1), (3, kernel.2)] {
            let extent = result.shape[axis], missing = ceilDiv(extent, k) * k - extent
            guard missing > 0 else { continue }
            let last = try result.slice(axis: axis, (extent - 1)..<extent)
            result = try Tensor.concat([result] + Array(repeating: last, count: missing), axis: axis)
        }
        return result
    }

    private static func ceilDiv(_ a: Int, _ b: Int) -> Int { (a + b - 1) / b }
}
