import ArgumentParser
import Foundation
import PNGImage
import VideoFFmpeg
import ProphetDiT
import ProphRL
import ProphRLCore
import TensorEngine

/// `prophrl world rollout`: a long rollout from an episode's first frame under its recorded actions, written as
/// side by side (real | generated | action frames) as an MP4/MKV through the FFmpeg adapter or as PNG frames; the
/// third panel shows the action frames the model was given (models trained with `--action-frames`).
struct WorldRolloutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rollout",
                                                    abstract: "Roll Prophet out on an episode's actions; video (real | generated | action frames).")
    @Option(help: "Trained run file.") var model: String
    @Option(help: "HDF5 dataset.") var data: String
    @Option(help: "Episode index in the file.") var episode: Int = 0
    @Option(help: "Chunks to generate.") var chunks: Int = 1
    @Option(help: "Sampler steps (10 fast, 35 faithful).") var steps: Int = 10
    @Option(help: "Sampler update rule: multistep or euler.") var sampler: String = "multistep"
    @Option(help: "Noise seed.") var seed: UInt64 = 0
    @Option(help: "BLAS threads.") var threads: Int = 2
    @Option(help: "Output: a .mp4/.mkv video, or a folder for PNG frames.") var out: String

    func run() throws {
        try BLASRuntime.setThreads(threads)
        let (prophet, config) = try WorldSupport.loadModel(model)
        let worldModel = ProphetWorldModel(model: prophet, sampler: try WorldSupport.parseSampler(steps: steps, rule: sampler))
        let episodes = try WorldSupport.episodes(data)
        guard episodes.indices.contains(episode) else {
            throw CLIError("--episode: expected 0..<\(episodes.count), got \(episode)")
        }
        let chosen = episodes[episode]
        let dataRendering = try WorldSupport.actionFrameRendering(data)
        let semantics = try dataRendering.actionSemantics()
        let evaluator = try WorldModelEvaluator(chunks: chunks, flow: nil, semantics: semantics)
        let chunkFrames = prophet.configuration.chunkFrames
        let started = Date()
        let generated = try runBlocking {
            try await evaluator.rollout(worldModel, episode: chosen, steps: chunkFrames, seed: seed)
        }
        let seconds = Date().timeIntervalSince(started)
        let frames = [chosen.video.frames[0]] + generated
        // The action frames the model saw: each chunk integrated from the state the evaluator passed (real-robot protocol).
        var actionPanels: [RGBImage] = []
        if config.prophet.actionFrames, let rendering = config.prophet.actionFrameRendering, var state = chosen.states.first {
            let size = (prophet.configuration.width, prophet.configuration.height)
            let renderer = try ActionFrameRenderer(camera: rendering.camera(), width: size.0, height: size.1)
            actionPanels.append(try renderer.render(ProphetActionFrames.markers(of: state)))
            for chunk in try WorldModelEvaluator.actionChunks(of: chosen, steps: chunkFrames, count: chunks) {
                let markers = try rendering.markers(state: state, chunk: chunk)
                actionPanels += try markers.dropFirst().map { try renderer.render($0) }
                state = try ActionIntegrator(semantics: rendering.actionSemantics()).integrate(chunk, from: state).last ?? state
            }
        }
        let pairs = try frames.enumerated().map { i, frame in
            let real = i < chosen.video.frames.count ? chosen.video.frames[i] : try RGBImage(width: frame.width, height: frame.height)
            let pair = try Self.sideBySide(real, frame)
            return actionPanels.indices.contains(i) ? try Self.sideBySide(pair, actionPanels[i]) : pair
        }
        let lower = out.lowercased()
        if lower.hasSuffix(".mp4") || lower.hasSuffix(".mkv") {
            try FFmpegVideoWriter().writeSync(try VideoClip(frames: pairs, framesPerSecond: chosen.video.framesPerSecond), path: out)
        } else {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let writer = PNGImageWriter()
            for (i, pair) in pairs.enumerated() {
                try writer.write(pair, to: (out as NSString).appendingPathComponent(String(format: "frame_%04d.png", i)))
            }
        }
        let scores = try ImageMetrics.clipScores(generated: generated, reference: Array(chosen.video.frames[1...min(generated.count, chosen.video.frames.count - 1)]).padded(to: generated.count))
        print(String(format: "%@: %d chunks (%d frames) in %.2f s (%.2f s per chunk); PSNR %.2f dB, SSIM %.3f vs the real video; frames in %@",
                     chosen.id, chunks, generated.count, seconds, seconds / Double(chunks), scores.psnr, scores.ssim, out))
    }

    /// `left` and `right` (same height) next to each other.
    static func sideBySide(_ left: RGBImage, _ right: RGBImage) throws -> RGBImage {
        let (wl, wr, h) = (left.width, right.width, left.height), w = wl + wr
        var pixels = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<h {
            for x in 0..<(wl * 3) { pixels[y * w * 3 + x] = left.pixels[y * wl * 3 + x] }
            for x in 0..<(wr * 3) { pixels[(y * w + wl) * 3 + x] = right.pixels[y * wr * 3 + x] }
        }
        return try RGBImage(width: w, height: h, pixels: pixels)
    }
}

extension Array where Element == RGBImage {
    /// Pads with the last frame (a rollout longer than the recording is compared with its final frame).
    func padded(to count: Int) -> [RGBImage] {
        guard let last else { return self }
        return self + Array(repeating: last, count: Swift.max(0, count - self.count))
    }
}
