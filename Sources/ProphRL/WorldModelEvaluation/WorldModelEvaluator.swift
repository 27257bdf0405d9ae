import ProphRLCore

/// Scores a world model on recorded episodes the paper's way (flow-eval.md): from the first frame and the
/// recorded actions it rolls out `chunks` chunks through the `WorldModel` port (each chunk conditioned on the
/// frames generated so far) and compares with the real video; the copy-the-first-frame baseline is scored alike.
public struct WorldModelEvaluator: Sendable {
    /// Scores of one predictor over all evaluated episodes (means over episodes).
    public struct Scores: Sendable, Equatable {
        /// Mean PSNR in dB.
        public var psnr: Double
        /// Mean SSIM.
        public var ssim: Double
        /// Mean flow end-point error in pixels, when a flow estimator was given.
        public var flowEPE: Double?
        /// Mean masked flow cosine, when a flow estimator was given.
        public var flowCosine: Double?
        /// Episodes scored.
        public var episodes: Int
    }

    /// Chunks rolled out per episode.
    public let chunks: Int
    /// Optical flow for EPE/cosine, or nil to report PSNR/SSIM only.
    public let flow: (any OpticalFlowEstimator)?
    /// How the recorded actions move the robot; when given, every prediction's context carries the robot state
    /// (the episode's first recorded state, then the chunks integrated from it, as on the real robot), which models
    /// drawing action frames need. Nil: contexts carry no state.
    public let semantics: ActionSemantics?

    /// Creates an evaluator.
    /// - Throws: ``ValidationError`` naming `chunks` if below 1.
    public init(chunks: Int, flow: (any OpticalFlowEstimator)?, semantics: ActionSemantics? = nil) throws {
        try Validate.atLeastOne(chunks, "chunks")
        self.chunks = chunks
        self.flow = flow
        self.semantics = semantics
    }

    /// The first `count` chunks of `steps` consecutive recorded actions of `episode` (no padding).
    /// - Throws: ``ValidationError`` naming `episode` when it has fewer than `steps · count` actions.
    public static func actionChunks(of episode: Episode, steps: Int, count: Int) throws -> [ActionChunk] {
        let available = episode.chunks.reduce(0) { $0 + $1.steps }
        guard available >= steps * count else {
            throw ValidationError.invalid(argument: "episode", reason: "expected ≥ \(steps * count) actions, got \(available) in \(episode.id)")
        }
        return Array(try WorldModelReplay(chunkFrames: steps).actionChunks(of: episode).prefix(count))
    }

    /// The generated frames (without the start frame) of a rollout of `model` on `episode`.
    public func rollout(_ model: some WorldModel, episode: Episode, steps: Int, seed: UInt64) async throws -> [RGBImage] {
        let actions = try Self.actionChunks(of: episode, steps: steps, count: chunks)
        return try await WorldModelReplay(chunkFrames: steps, semantics: semantics)
            .generate(model, episode: episode, chunks: actions, seed: seed)
    }

    /// Scores `model` and the copy-first-frame baseline on `episodes` (those with enough frames).
    /// - Throws: ``ValidationError`` naming `episodes` when none is long enough.
    public func evaluate(_ model: some WorldModel, episodes: [Episode], steps: Int,
                         seed: UInt64) async throws -> (model: Scores, copyFirstFrame: Scores) {
        var modelScores: [Scores] = [], copyScores: [Scores] = []
        for episode in episodes where episode.video.frames.count > steps * chunks
            && episode.chunks.reduce(0, { $0 + $1.steps }) >= steps * chunks {
            let reference = Array(episode.video.frames[1...(steps * chunks)])
            let generated = try await rollout(model, episode: episode, steps: steps, seed: seed)
            let copies = Array(repeating: episode.video.frames[0], count: reference.count)
            modelScores.append(try score(generated, reference: reference, start: episode.video.frames[0]))
            copyScores.append(try score(copies, reference: reference, start: episode.video.frames[0]))
        }
        if modelScores.isEmpty {
            throw ValidationError.invalid(argument: "episodes", reason: "expected an episode with ≥ \(steps * chunks + 1) frames, got none")
        }
        return (Self.mean(modelScores), Self.mean(copyScores))
    }

    /// Scores one clip of `generated` frames against `reference` (flow measured from `start` on).
    public func score(_ generated: [RGBImage], reference: [RGBImage], start: RGBImage) throws -> Scores {
        let image = try ImageMetrics.clipScores(generated: generated, reference: reference)
        var epe: Double?, cosine: Double?
        if let flow {
            let g = [start] + generated, r = [start] + reference
            let gFlows = try (1..<g.count).map { try flow.flow(from: g[$0 - 1], to: g[$0]) }
            let rFlows = try (1..<r.count).map { try flow.flow(from: r[$0 - 1], to: r[$0]) }
            let scores = try FlowMetrics.clipScores(generated: gFlows, reference: rFlows)
            epe = scores.endPointError
            cosine = scores.cosine
        }
        return Scores(psnr: image.psnr, ssim: image.ssim, flowEPE: epe, flowCosine: cosine, episodes: 1)
    }

    /// The mean of per-episode scores (`episodes` = their count).
    public static func mean(_ all: [Scores]) -> Scores {
        let n = Double(all.count)
        let epes = all.compactMap(\.flowEPE), cosines = all.compactMap(\.flowCosine)
        return Scores(psnr: all.map(\.psnr).reduce(0, +) / n, ssim: all.map(\.ssim).reduce(0, +) / n,
                      flowEPE: epes.isEmpty ? nil : epes.reduce(0, +) / Double(epes.count),
                      flowCosine: cosines.isEmpty ? nil : cosines.reduce(0, +) / Double(cosines.count), episodes: all.count)
    }
}
