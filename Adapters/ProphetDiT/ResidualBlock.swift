import ProphRLCore
import TensorEngine

/// A 2-D residual block on channels-last frames `[N, H, W, C]`: RMSNorm → SiLU → 3×3 conv, twice, plus the input.
final class ResidualBlock: Module {
    let norm1: RMSNorm
    let conv1: Conv2d
    let norm2: RMSNorm
    let conv2: Conv2d

    init(channels: Int, rng: inout SeededGenerator) throws {
        norm1 = try RMSNorm(channels)
        conv1 = try Conv2d(channels, channels, kernel: (3, 3), padding: [(1, 1), (1, 1)], rng: &rng)
        norm2 = try RMSNorm(channels)
        conv2 = try Conv2d(channels, channels, kernel: (3, 3), padding: [(1, 1), (1, 1)], rng: &rng)
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        let h = try conv1(norm1(x).silu())
        return try x + conv2(norm2(h).silu())
    }
}
