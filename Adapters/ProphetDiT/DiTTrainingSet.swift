import ProphRLCore
import TensorEngine

/// The DiT's training data of some datasets as named tensors (world-model.md §9 step 2): the autoencoder's
/// normalised latents, the raw action rows and the action-frame latents of every clip, concatenated over clips with
/// per-clip offsets. A process without the autoencoder (`scripts/prophet_dit_train.py` on a GPU) rebuilds from them
/// exactly the samples ``ProphetDataset/sample(_:start:)`` gives ``ProphetTrainer``.
///
/// ```swift
/// let tensors = try DiTTrainingSet.tensors(datasets, autoencoder: model.autoencoder)
/// let bytes = try Safetensors.encode(tensors, metadata: ["prophet": configJSON])
/// ```
public enum DiTTrainingSet {
    /// Latents and action frames in binary16 (normalised latents are O(1); 11 bits of mantissa is far below the
    /// diffusion noise), indices in int64, actions in binary32.
    ///
    /// Tensors: `group_latents`, `single_latents` `[NG, h, w, C]` (G + 1 per clip), `clip_latent_offset`,
    /// `clip_groups`; `action_frame_latents` `[NS, F, h, w, C]` (one per chunk start, only with action frames),
    /// `clip_start_offset`, `clip_starts`; `actions` `[NA, A]` (frameCount − 1 per clip), `clip_action_offset`,
    /// `clip_frames`; `clip_dataset` (index into `datasets`).
    /// - Parameters:
    ///   - autoencoder: the trained autoencoder whose latent statistics are already set (it is frozen here).
    ///   - encoded: called after each dataset is encoded (the slow part), with its index.
    /// - Throws: ``ValidationError`` naming `datasets` when empty or built for another configuration.
    public static func tensors(_ datasets: [ProphetDataset], autoencoder: CausalVideoAutoencoder,
                               encoded: (Int) -> Void = { _ in }) throws -> [NamedTensor] {
        guard let configuration = datasets.first?.configuration else { throw ValidationError.empty(argument: "datasets") }
        if let other = datasets.first(where: { $0.configuration != configuration }) {
            throw ValidationError.invalid(argument: "datasets", reason: "expected one configuration, '\(other.name)' differs")
        }
        autoencoder.freeze()
        for (index, dataset) in datasets.enumerated() {
            try dataset.cacheLatents(autoencoder, computeStatistics: false)
            encoded(index)
        }
        let cfg = configuration, grid = [cfg.latentHeight, cfg.latentWidth, cfg.latentChannels]
        var groups: [Float] = [], singles: [Float] = [], actionFrames: [Float] = [], actions: [Float] = []
        var latentOffset: [Int64] = [], groupCounts: [Int64] = [], startOffset: [Int64] = [], startCounts: [Int64] = []
        var actionOffset: [Int64] = [], frameCounts: [Int64] = [], datasetIndex: [Int64] = []
        var latentRows = 0, startRows = 0, actionRows = 0
        for (index, dataset) in datasets.enumerated() {
            for clip in dataset.clips {
                latentOffset.append(Int64(latentRows)); groupCounts.append(Int64(clip.groupLatents.count - 1))
                groups += clip.groupLatents.joined(); singles += clip.singleLatents.joined()
                latentRows += clip.groupLatents.count
                startOffset.append(Int64(startRows)); startCounts.append(Int64(clip.actionFrameLatents.count))
                actionFrames += clip.actionFrameLatents.joined()
                startRows += clip.actionFrameLatents.count
                actionOffset.append(Int64(actionRows)); frameCounts.append(Int64(clip.frameCount))
                actions += clip.actions.joined()
                actionRows += clip.actions.count
                datasetIndex.append(Int64(index))
            }
        }
        var tensors = [
            try half("group_latents", groups, shape: [latentRows] + grid),
            try half("single_latents", singles, shape: [latentRows] + grid),
            try NamedTensor(name: "actions", values: actions, shape: [actionRows, cfg.actionDimension]),
        ]
        if cfg.actionFrames {
            tensors.append(try half("action_frame_latents", actionFrames, shape: [startRows, cfg.latentFrames] + grid))
        }
        for (name, values) in [("clip_latent_offset", latentOffset), ("clip_groups", groupCounts), ("clip_start_offset", startOffset),
                               ("clip_starts", startCounts), ("clip_action_offset", actionOffset), ("clip_frames", frameCounts),
                               ("clip_dataset", datasetIndex)] {
            tensors.append(try int64(name, values))
        }
        return tensors
    }

    static func half(_ name: String, _ values: [Float], shape: [Int]) throws -> NamedTensor {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 2)
        for value in values {
            let bits = Float16(value).bitPattern
            bytes.append(UInt8(bits & 0xFF)); bytes.append(UInt8(bits >> 8))
        }
        return try NamedTensor(name: name, dtype: .f16, shape: shape, bytes: bytes)
    }

    static func int64(_ name: String, _ values: [Int64]) throws -> NamedTensor {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 8)
        for value in values { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
        return try NamedTensor(name: name, dtype: .i64, shape: [values.count], bytes: bytes)
    }
}
