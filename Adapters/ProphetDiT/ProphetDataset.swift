import ProphRLCore
import TensorEngine

/// One dataset's episodes as pixel arrays and per-step action rows, with its cached normalised latents once the
/// autoencoder is trained (world-model.md §9 step 2).
public final class ProphetDataset {
    /// A recorded episode: frames in [-1, 1] (`[N, H, W, 3]` flattened) and one action row per transition.
    struct Clip {
        let frames: [Float]
        let frameCount: Int
        let actions: [[Float]]
        /// Normalised group latents; index g ≥ 1 covers frames 4g-3…4g (index 0 unused).
        var groupLatents: [[Float]] = []
        /// Normalised single-frame latents of frames 0, 4, 8, … (the conditioning latents).
        var singleLatents: [[Float]] = []
        /// Action-frame pixels in [-1, 1], one frame per video frame (empty without action frames).
        var actionFramePixels: [Float] = []
        /// Normalised action-frame latents `[F·latent]` per chunk start 4m (index m), each encoded from its own
        /// window of T + 1 action frames exactly as ``ProphetWorldModel`` encodes them at prediction time.
        var actionFrameLatents: [[Float]] = []
    }

    /// The dataset's name (its file), for reports.
    public let name: String
    var clips: [Clip]
    let configuration: ProphetConfiguration

    /// Converts episodes; episodes shorter than one chunk (T + 1 frames) are skipped. With `actionFrames` on, each
    /// episode's recorded actions are drawn as action frames through `configuration.actionFrameRendering`.
    /// - Throws: ``ValidationError`` naming `episodes` when empty or without a usable episode, `frames` for a
    ///   size other than the model's, `actions` for a per-step dimension other than the model's,
    ///   `configuration.actionFrameRendering` when action frames are on without a camera.
    public init(name: String, episodes: [Episode], configuration: ProphetConfiguration) throws {
        if episodes.isEmpty { throw ValidationError.empty(argument: "episodes") }
        var rendering: ProphetActionFrames?
        if configuration.actionFrames {
            guard let given = configuration.actionFrameRendering else {
                throw ValidationError.invalid(argument: "configuration.actionFrameRendering",
                                              reason: "expected a camera and action semantics (action frames are on), got nil")
            }
            rendering = given
        }
        self.name = name
        self.configuration = configuration
        var clips: [Clip] = []
        for episode in episodes {
            let video = episode.video
            guard video.width == configuration.width, video.height == configuration.height else {
                throw ValidationError.shapeMismatch(argument: "frames", expected: "\(configuration.width)x\(configuration.height)",
                                                    actual: "\(video.width)x\(video.height) in \(episode.id)")
            }
            var rows: [[Float]] = []
            for chunk in episode.chunks {
                guard chunk.flatDimension == configuration.actionDimension else {
                    throw ValidationError.shapeMismatch(argument: "actions", expected: "\(configuration.actionDimension) values per step",
                                                        actual: "\(chunk.flatDimension) in \(episode.id)")
                }
                for step in 0..<chunk.steps {
                    rows.append(Array(chunk.values[(step * chunk.flatDimension)..<((step + 1) * chunk.flatDimension)]))
                }
            }
            let usable = Swift.min(video.frames.count, rows.count + 1)
            guard usable >= configuration.chunkFrames + 1 else { continue }
            let frames = video.frames.prefix(usable).flatMap { $0.pixels.map { Float($0) / 127.5 - 1 } }
            var clip = Clip(frames: frames, frameCount: usable, actions: Array(rows.prefix(usable - 1)))
            if let rendering {
                let markers = try rendering.markers(episode: episode)
                guard markers.count >= usable else {
                    throw ValidationError.shapeMismatch(argument: "episodes", expected: "\(usable) action-frame poses in \(episode.id)",
                                                        actual: "\(markers.count)")
                }
                clip.actionFramePixels = try rendering.pixels(Array(markers.prefix(usable)), width: video.width, height: video.height)
            }
            clips.append(clip)
        }
        if clips.isEmpty {
            throw ValidationError.invalid(argument: "episodes",
                                          reason: "expected at least one episode with ≥ \(configuration.chunkFrames + 1) frames, got none")
        }
        self.clips = clips
    }

    /// Sums, squared sums and count of the per-step action values, per dimension.
    var actionMoments: (sum: [Double], squares: [Double], count: Double) {
        let a = configuration.actionDimension
        var sum = [Double](repeating: 0, count: a), squares = sum, count = 0.0
        for clip in clips { for row in clip.actions {
            for (d, v) in row.enumerated() { sum[d] += Double(v); squares[d] += Double(v) * Double(v) }
            count += 1
        } }
        return (sum, squares, count)
    }

    /// Number of usable episodes.
    public var episodeCount: Int { clips.count }

    /// Training chunks (start frames 4m with a full chunk after them), summed over episodes.
    public var chunkCount: Int { clips.reduce(0) { $0 + Self.chunkStarts($1, configuration).count } }

    static func chunkStarts(_ clip: Clip, _ cfg: ProphetConfiguration) -> [Int] {
        stride(from: 0, through: clip.frameCount - 1 - cfg.chunkFrames, by: 4).map { $0 }
    }

    var frameSize: Int { configuration.height * configuration.width * 3 }

    /// One of `datasets` (non-empty) drawn with probability proportional to `weights` (one uniform draw from `rng`).
    static func pick(from datasets: [ProphetDataset], weights: (ProphetDataset) -> Int, using rng: inout SeededGenerator) -> ProphetDataset {
        let total = datasets.reduce(0) { $0 + weights($1) }
        var draw = Int(rng.nextUniform() * Double(Swift.max(total, 1)))
        for dataset in datasets {
            draw -= weights(dataset)
            if draw < 0 { return dataset }
        }
        return datasets[datasets.count - 1]
    }

    /// Frames of all episodes (the autoencoder's and the refiner's sampling weight).
    var frameCount: Int { clips.reduce(0) { $0 + $1.frameCount } }

    /// Pixels of frames `range` of clip `index`, `[1, range.count, H, W, 3]`.
    func frames(_ index: Int, _ range: Range<Int>) throws -> Tensor {
        let clip = clips[index]
        let values = Array(clip.frames[(range.lowerBound * frameSize)..<(range.upperBound * frameSize)])
        return try Tensor(values, shape: [1, range.count, configuration.height, configuration.width, 3])
    }

    /// Encodes every episode with the (frozen) autoencoder: raw latents for statistics, then normalised caches.
    func cacheLatents(_ autoencoder: CausalVideoAutoencoder, computeStatistics: Bool) throws {
        let latentSize = configuration.latentHeight * configuration.latentWidth * configuration.latentChannels
        var raw: [(groups: [[Float]], singles: [[Float]])] = []
        for index in clips.indices {
            let clip = clips[index]
            let groups = (clip.frameCount - 1) / 4
            let video = try frames(index, 0..<(1 + 4 * groups))
            let latents = try noGrad { try autoencoder.encode(video) }.scalars
            let groupLatents = (0...groups).map { Array(latents[($0 * latentSize)..<(($0 + 1) * latentSize)]) }
            let singleFrames = try Tensor.concat(try (0...groups).map { try frames(index, (4 * $0)..<(4 * $0 + 1)) }, axis: 0)
            let singles = try noGrad { try autoencoder.encode(singleFrames) }.scalars
            let singleLatents = (0...groups).map { Array(singles[($0 * latentSize)..<(($0 + 1) * latentSize)]) }
            raw.append((groupLatents, singleLatents))
        }
        let c = configuration.latentChannels
        if computeStatistics {
            let all = try raw.flatMap { $0.groups.dropFirst() + $0.singles }.map { try Tensor($0, shape: [$0.count / c, c]) }
            let stats = CausalVideoAutoencoder.channelStatistics(all)
            try autoencoder.setLatentStatistics(mean: stats.mean, std: stats.std)
        }
        let mean = autoencoder.latentMean.value.scalars, std = autoencoder.latentStd.value.scalars
        func normalize(_ v: [Float]) -> [Float] { v.enumerated().map { ($1 - mean[$0 % c]) / std[$0 % c] } }
        for index in clips.indices {
            clips[index].groupLatents = raw[index].groups.map(normalize)
            clips[index].singleLatents = raw[index].singles.map(normalize)
            clips[index].actionFrameLatents = try actionFrameLatents(index, autoencoder)
        }
    }

    /// The normalised action-frame latents of every chunk start of clip `index` (empty without action frames).
    func actionFrameLatents(_ index: Int, _ autoencoder: CausalVideoAutoencoder) throws -> [[Float]] {
        let cfg = configuration, clip = clips[index]
        guard cfg.actionFrames, !clip.actionFramePixels.isEmpty else { return [] }
        let starts = Self.chunkStarts(clip, cfg), window = cfg.chunkFrames + 1
        var pixels: [Float] = []
        for start in starts { pixels += clip.actionFramePixels[(start * frameSize)..<((start + window) * frameSize)] }
        let video = try Tensor(pixels, shape: [starts.count, window, cfg.height, cfg.width, 3])
        let latents = try noGrad { try autoencoder.encodeNormalized(video) }.scalars
        let perChunk = latents.count / starts.count
        return (0..<starts.count).map { Array(latents[($0 * perChunk)..<(($0 + 1) * perChunk)]) }
    }

    /// One DiT training sample at chunk start 4m of clip `index`: latents `[F·latent]`, history `[15·latent]`
    /// (zeros before the episode start), raw actions `[T·A]`, action-frame latents `[F·latent]` (empty when off).
    func sample(_ index: Int, start: Int) -> (latents: [Float], history: [Float], actions: [Float], actionFrames: [Float]) {
        let cfg = configuration, clip = clips[index], m = start / 4
        let latentSize = cfg.latentHeight * cfg.latentWidth * cfg.latentChannels
        var latents = clip.singleLatents[m]
        for g in (m + 1)...(m + cfg.chunkFrames / 4) { latents += clip.groupLatents[g] }
        var history: [Float] = []
        for g in (m - cfg.historyLatents + 1)...m {
            history += g >= 1 ? clip.groupLatents[g] : [Float](repeating: 0, count: latentSize)
        }
        let actions = clip.actions[start..<(start + cfg.chunkFrames)].flatMap { $0 }
        let actionFrames = clip.actionFrameLatents.indices.contains(m) ? clip.actionFrameLatents[m] : []
        return (latents, history, actions, actionFrames)
    }
}
