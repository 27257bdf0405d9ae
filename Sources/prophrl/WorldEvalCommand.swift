import ArgumentParser
import FarnebackFlow
import Foundation
import ProphetDiT
import ProphRL
import ProphRLCore
import TensorEngine

/// `prophrl world eval`: PSNR/SSIM (and flow EPE/cosine once a flow adapter is wired) of Prophet rollouts against
/// the real video, next to the copy-the-first-frame baseline, as JSON.
struct WorldEvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "eval",
                                                    abstract: "Score Prophet rollouts against held-out video (JSON).")
    @Option(help: "Trained run file.") var model: String
    @Option(help: "Held-out HDF5 dataset.") var data: String
    @Option(help: "Chunks rolled out per episode.") var chunks: Int = 1
    @Option(help: "Episodes to score at most.") var episodes: Int = 8
    @Option(help: "Sampler steps.") var steps: Int = 10
    @Option(help: "Sampler update rule: multistep or euler.") var sampler: String = "multistep"
    @Option(help: "Noise seed.") var seed: UInt64 = 0
    @Option(help: "BLAS threads.") var threads: Int = 2
    @Option(help: "Output JSON file.") var json: String?
    @Option(help: "Action-sensitivity test: ±delta on one action value from each episode's first frame (0 = off).")
    var sensitivityDelta: Float = 0.01
    @Option(help: "Sensitivity test: the action value perturbed (0 = x, 1 = y, 2 = z translation).")
    var sensitivityDimension: Int = 0
    @Flag(help: "Skip optical flow (EPE/cosine and the flow direction of the sensitivity test).") var noFlow = false
    @Option(help: "Sensitivity test: radius of the gripper region around the projected TCP, as a fraction of the width.")
    var gripperRadius: Double = 0.12

    func run() throws {
        try BLASRuntime.setThreads(threads)
        guard episodes >= 1 else { throw CLIError("--episodes: expected ≥ 1, got \(episodes)") }
        guard (0..<6).contains(sensitivityDimension) else {
            throw CLIError("--sensitivity-dimension: expected 0..<6 (a pose value of the first effector), got \(sensitivityDimension)")
        }
        let (prophet, config) = try WorldSupport.loadModel(model)
        let worldModel = ProphetWorldModel(model: prophet, sampler: try WorldSupport.parseSampler(steps: steps, rule: sampler))
        let heldOut = Array(try WorldSupport.episodes(data).prefix(episodes))
        let flow: (any OpticalFlowEstimator)? = noFlow ? nil : FarnebackOpticalFlow()
        // The data's recorded actions are `sim collect`'s absolute differences; its camera locates the gripper.
        let rendering = try WorldSupport.actionFrameRendering(data)
        let semantics = try rendering.actionSemantics(), camera = try rendering.camera()
        let evaluator = try WorldModelEvaluator(chunks: chunks, flow: flow, semantics: semantics)
        let chunkFrames = prophet.configuration.chunkFrames
        let started = Date()
        let (scores, copy) = try runBlocking {
            try await evaluator.evaluate(worldModel, episodes: heldOut, steps: chunkFrames, seed: seed)
        }
        let seconds = Date().timeIntervalSince(started)
        // Autoencoder reconstruction PSNR on the first 1 + T frames of each scored episode, and the oracle row: the
        // reconstruction of the real frames the rollout is scored on (what a perfect DiT could reach through this AE).
        var reconstructionPSNR: [Double] = [], oracle: [WorldModelEvaluator.Scores] = []
        let scored = chunks * chunkFrames
        for episode in heldOut where episode.video.frames.count > chunkFrames {
            let real = Array(episode.video.frames[0...chunkFrames])
            let rebuilt = try ProphetWorldModel.images(video: prophet.reconstruct(ProphetWorldModel.tensor(frames: real)))
            reconstructionPSNR.append(try ImageMetrics.clipScores(generated: rebuilt, reference: real).psnr)
            guard episode.video.frames.count > scored, episode.chunks.reduce(0, { $0 + $1.steps }) >= scored else { continue }
            let clip = Array(episode.video.frames[0...scored])
            let whole = try ProphetWorldModel.images(video: prophet.reconstruct(ProphetWorldModel.tensor(frames: clip)))
            oracle.append(try evaluator.score(Array(whole.dropFirst()), reference: Array(clip.dropFirst()), start: clip[0]))
        }
        var sensitivity: [ActionSensitivity] = []
        if sensitivityDelta > 0 {
            for episode in heldOut {
                var template = Array(episode.chunks[0].values.prefix(episode.chunks[0].flatDimension))
                for i in template.indices where i % 7 != 6 { template[i] = 0 }
                let start = episode.video.frames[0], delta = sensitivityDelta, row = template
                let probe = episode.states.first.map {
                    ActionSensitivity.GripperProbe(state: $0, camera: camera, semantics: semantics, radius: gripperRadius * Double(start.width))
                }
                sensitivity.append(try runBlocking {
                    try await ActionSensitivity.measure(worldModel, start: start, steps: chunkFrames, template: row, dimension: sensitivityDimension,
                                                        delta: delta, seed: seed, flow: flow, gripper: probe)
                })
            }
        }
        let actionDifference = sensitivity.map(\.actionDifference).reduce(0, +) / Double(max(sensitivity.count, 1))
        let seedDifference = sensitivity.map(\.seedDifference).reduce(0, +) / Double(max(sensitivity.count, 1))
        let flowPlus = sensitivity.compactMap(\.meanFlowXPositive), flowMinus = sensitivity.compactMap(\.meanFlowXNegative)
        let opposite = zip(flowPlus, flowMinus).filter { $0 * $1 < 0 }.count
        let aePSNR = reconstructionPSNR.reduce(0, +) / Double(max(reconstructionPSNR.count, 1))
        func row(_ s: WorldModelEvaluator.Scores) -> [String: Any] {
            var r: [String: Any] = ["psnr": s.psnr, "ssim": s.ssim, "episodes": s.episodes]
            if let e = s.flowEPE { r["flow_epe"] = e }
            if let c = s.flowCosine { r["flow_cosine"] = c }
            return r
        }
        let meanPlus: Double = flowPlus.reduce(0, +) / Double(max(flowPlus.count, 1))
        let meanMinus: Double = flowMinus.reduce(0, +) / Double(max(flowMinus.count, 1))
        var sensitivityReport: [String: Any] = ["delta": Double(sensitivityDelta), "episodes": sensitivity.count,
                                                "dimension": sensitivityDimension]
        sensitivityReport["plus_minus_pixel_difference"] = actionDifference
        sensitivityReport["seed_pixel_difference"] = seedDifference
        sensitivityReport["mean_flow_x_plus"] = meanPlus
        sensitivityReport["mean_flow_x_minus"] = meanMinus
        sensitivityReport["episodes_with_opposite_flow"] = opposite
        let cosPlus = sensitivity.compactMap(\.gripperCosinePositive), cosMinus = sensitivity.compactMap(\.gripperCosineNegative)
        let meanCosPlus = cosPlus.reduce(0, +) / Double(max(cosPlus.count, 1))
        let meanCosMinus = cosMinus.reduce(0, +) / Double(max(cosMinus.count, 1))
        let passing = zip(cosPlus, cosMinus).filter { $0 > 0.5 && $1 > 0.5 }.count
        sensitivityReport["gripper_cosine_plus"] = meanCosPlus
        sensitivityReport["gripper_cosine_minus"] = meanCosMinus
        sensitivityReport["gripper_flow_plus"] = sensitivity.compactMap(\.gripperFlowPositive)
        sensitivityReport["gripper_flow_minus"] = sensitivity.compactMap(\.gripperFlowNegative)
        sensitivityReport["episodes_gripper_cosine_above_half"] = passing
        sensitivityReport["gripper_radius_px"] = gripperRadius * Double(prophet.configuration.width)
        var report: [String: Any] = ["model": model, "data": data, "chunks": chunks, "sampler_steps": steps, "sampler": sampler]
        report["action_conditioning"] = config.prophet.actionConditioning
        report["history_memory"] = config.prophet.historyMemory
        report["memory_rope"] = config.prophet.rotatesMemoryKeys
        report["reference_refiner_width"] = config.prophet.referenceRefinerWidth ?? 0
        report["action_frames"] = config.prophet.actionFrames
        report["lora_rank"] = config.loraRank ?? 0
        report["prophet"] = row(scores)
        report["copy_first_frame"] = row(copy)
        if !oracle.isEmpty { report["autoencoder_oracle"] = row(WorldModelEvaluator.mean(oracle)) }
        report["eval_seconds_per_chunk"] = seconds / Double(max(scores.episodes * chunks, 1))
        report["autoencoder_psnr"] = aePSNR
        report["sensitivity"] = sensitivityReport
        report["flow"] = noFlow ? "off" : "Farneback (OpenCV defaults)"
        let bytes = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
        if let json { try AtomicFile.write([UInt8](bytes), to: json) }
        print(String(format: "autoencoder reconstruction PSNR %.2f dB", aePSNR))
        func line(_ name: String, _ s: WorldModelEvaluator.Scores) -> String {
            String(format: "%@ PSNR %.2f dB  SSIM %.3f  EPE %@  cosine %@", name, s.psnr, s.ssim,
                   s.flowEPE.map { String(format: "%.3f", $0) } ?? "-", s.flowCosine.map { String(format: "%.3f", $0) } ?? "-")
        }
        print(line("Prophet   ", scores) + "  (\(scores.episodes) episodes × \(chunks) chunks)")
        print(line("copy-first", copy))
        if !oracle.isEmpty { print(line("AE oracle ", WorldModelEvaluator.mean(oracle)) + "  (real frames through the autoencoder)") }
        if !sensitivity.isEmpty {
            print(String(format: "action sensitivity (±%.3f on action value %d): clips differ by %.2f grey levels; two seeds differ by %.2f",
                         sensitivityDelta, sensitivityDimension, actionDifference, seedDifference))
            if !flowPlus.isEmpty {
                print(String(format: "  mean flow x: +δ %.3f px/frame, −δ %.3f px/frame; opposite signs in %d/%d episodes",
                             flowPlus.reduce(0, +) / Double(flowPlus.count), flowMinus.reduce(0, +) / Double(flowMinus.count),
                             opposite, flowPlus.count))
            }
            if !cosPlus.isEmpty {
                print(String(format: "  gripper region: flow·commanded cosine +δ %.3f, −δ %.3f; both > 0.5 in %d/%d episodes",
                             meanCosPlus, meanCosMinus, passing, cosPlus.count))
            }
        }
        print(String(format: "%.2f s per chunk including scoring (%d sampler steps, %@)", seconds / Double(max(scores.episodes * chunks, 1)), steps, sampler))
    }
}
