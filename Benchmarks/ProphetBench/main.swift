import Foundation
import ProphetDiT
import ProphRLCore
import TensorEngine

// ProphetBench: training samples/s (DiT step, batch 8) and seconds per generated 20-frame chunk (fast 10-step and
// faithful 35-step samplers, AE encode/decode included) for configuration A at 1 and 2 threads, and the fast chunk
// again with the reference refiner (width 24) that `world sharpen` trains.
// Usage: ProphetBench [--threads 1,2] [--repeats 3]

BLASRuntime.relaunchWithPreferredKernel()
_ = AllocatorTuning.apply()

var threadCounts = [1, 2], repeats = 3
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--threads": threadCounts = (arguments.next() ?? "").split(separator: ",").compactMap { Int($0) }
    case "--repeats": repeats = Int(arguments.next() ?? "") ?? repeats
    default: FileHandle.standardError.write(Data("unknown argument \(argument)\n".utf8)); exit(2)
    }
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func best(_ n: Int, _ body: () throws -> Void) rethrows -> Double {
    try body()  // warm-up
    return try (0..<n).map { _ in try seconds(body) }.min() ?? .nan
}

do {
    let config = ProphetConfiguration.defaultA
    let model = try ProphetModel(configuration: config, seed: 1)
    var sharpConfig = config
    sharpConfig.referenceRefinerWidth = 24
    let sharp = try ProphetModel(configuration: sharpConfig, seed: 1)
    var rng = SeededGenerator(seed: 2)
    let batch = 8, grid = [config.latentHeight, config.latentWidth, config.latentChannels]
    let flowBatch = RectifiedFlow.Batch(latents: try Tensor.normal([batch, config.latentFrames] + grid, using: &rng),
                                        actions: try Tensor.normal([batch, config.chunkFrames * 7], using: &rng),
                                        history: try Tensor.normal([batch, 15] + grid, using: &rng))
    let optimizer = AdamW(learningRate: 1e-4)
    let start = try Tensor.uniform([1, 1, config.height, config.width, 3], low: -1, high: 1, using: &rng)
    let actions = try Tensor.normal([1, config.chunkFrames * 7], using: &rng)
    print("ProphetBench: config A (64×64, D 192, depth 6, 3 heads), \(model.denoiser.parameterCount) DiT parameters, "
          + "kernel \(BLASRuntime.coreName)")
    for threads in threadCounts {
        try BLASRuntime.setThreads(threads)
        let step = try best(repeats) {
            var noise = SeededGenerator(seed: 3)
            let (_, grads) = try valueAndGrad(model.denoiser) { m in try RectifiedFlow.loss(m, batch: flowBatch, using: &noise) }
            try optimizer.update(model.denoiser, gradients: grads)
        }
        let fast = try best(repeats) { _ = try model.rollout(start: start, actionChunks: [actions], sampler: .fast, seed: 4) }
        let faithful = try best(1) { _ = try model.rollout(start: start, actionChunks: [actions], sampler: .faithful, seed: 4) }
        let refined = try best(repeats) { _ = try sharp.rollout(start: start, actionChunks: [actions], sampler: .fast, seed: 4) }
        // world-model.md §10: ≈ 0.58 GFLOP forward per sample, ≈ 3× for a training step.
        let trainGFLOPs = 3 * 0.58 * Double(batch) / step
        print(String(format: "threads %d: train %.2f samples/s (%.0f ms/step of %d, ≈ %.1f GFLOP/s); chunk fast(10) %.2f s, faithful(35) %.2f s, "
                      + "fast + refiner %.2f s", threads, Double(batch) / step, step * 1000, batch, trainGFLOPs, fast, faithful, refined))
    }
} catch {
    FileHandle.standardError.write(Data("ProphetBench: \(error)\n".utf8))
    exit(1)
}
