import ProphRLCore
import RealModule

/// Behavioural contracts every implementation of a port must meet. Fakes and real adapters run the same
/// checks in their tests, so a fake cannot drift from the adapter it stands in for.
///
/// ```swift
/// @Test func bulletMeetsTheContract() async throws {
///     try await PortContracts.checkEnvironment(BulletEnvironment(...), task: "place_cube", chunk: chunk)
/// }
/// ```
public enum PortContracts {
    /// Reset is reproducible per seed; a step reports one frame and one done flag per executed action, at
    /// most one done and only at the end; an observation has the described frame size.
    public static func checkEnvironment(_ environment: some Environment, task: String, chunk: ActionChunk) async throws {
        let port = "Environment"
        let a = try await environment.reset(task: task, seed: 11)
        let b = try await environment.reset(task: task, seed: 11)
        try require(a == b, port, "reset with the same seed gives the same observation")
        let format = environment.description.frameFormat
        try require(a.image.width == format.width && a.image.height == format.height, port,
                    "observations have the described frame size", "\(a.image.width)x\(a.image.height)")
        let step = try await environment.step(chunk)
        try require(!step.done.isEmpty && step.done.count <= chunk.steps, port,
                    "one done flag per executed action, at most the chunk", "\(step.done.count) flags for \(chunk.steps) actions")
        try require(step.frames.count == step.done.count, port, "one frame per executed action",
                    "\(step.frames.count) frames, \(step.done.count) flags")
        try require(step.done.dropLast().allSatisfy { !$0 }, port, "done only on the last executed action")
        let replay = try await environment.reset(task: task, seed: 11)
        try require(replay == a, port, "reset after stepping restores the seeded start")
        let again = try await environment.step(chunk)
        try require(again == step, port, "the same seed and actions give the same step")
        try require(await throwsError { _ = try await environment.reset(task: "no-such-task", seed: 1) }, port,
                    "an unknown task is rejected")
        try await environment.close()
    }

    /// A clip has one frame per action at the model's format, and the same seed gives the same clip.
    public static func checkWorldModel(_ model: some WorldModel, context: WorldModelContext, actions: ActionChunk) async throws {
        let port = "WorldModel"
        let clip = try await model.predict(context: context, actions: actions, seed: 5)
        try require(clip.frames.count == actions.steps, port, "one frame per action", "\(clip.frames.count) frames")
        try require(clip.width == model.frameFormat.width && clip.height == model.frameFormat.height, port,
                    "frames at the model's format", "\(clip.width)x\(clip.height)")
        let again = try await model.predict(context: context, actions: actions, seed: 5)
        try require(again == clip, port, "the same seed gives the same clip")
        try require(await throwsError { _ = try await model.predict(context: WorldModelContext(frames: []), actions: actions, seed: 5) },
                    port, "an empty context is rejected")
    }

    /// Chunks match the layout; sampling is reproducible per seed; a stochastic trace's log-probs are the
    /// Gaussian log-densities of its states under its means and stds (rl-math.md §3.6, §4).
    public static func checkPolicy(_ policy: some ActionPolicy, observation: Observation) async throws {
        let port = "ActionPolicy"
        let layout = policy.chunkLayout
        let ode = try await policy.act(on: observation, sampling: .deterministic)
        try require(ode.chunk.steps == layout.steps && ode.chunk.maxEffectors == layout.maxEffectors, port,
                    "chunks match the layout", "\(ode.chunk.steps)x\(ode.chunk.maxEffectors)")
        let odeAgain = try await policy.act(on: observation, sampling: .deterministic)
        try require(ode == odeAgain, port, "deterministic sampling is reproducible")
        let sampling = PolicySampling.stochastic(eta: 0.5, seed: 9)
        let sde = try await policy.act(on: observation, sampling: sampling)
        let sdeAgain = try await policy.act(on: observation, sampling: sampling)
        try require(sde == sdeAgain, port, "stochastic sampling is reproducible per seed")
        guard let trace = sde.trace else { return }
        let executed = zip(trace.states[trace.steps], sde.chunk.elementMask).map { $1 == 0 ? 0 : $0 }
        try require(executed == sde.chunk.flat, port, "the last chain state is the executed chunk on valid effectors")
        try require(abs(trace.stds[0] - trace.eta) < 1e-6, port, "the first-step std is η", "\(trace.stds[0])")
        for k in 0..<trace.steps {
            for i in trace.states[k + 1].indices {
                let expected = FlowSDE.logProb(of: Double(trace.states[k + 1][i]), mean: Double(trace.means[k][i]),
                                               std: trace.stds[k])
                try require(abs(Double(trace.logProbs[k][i]) - expected) <= 1e-4 * max(1, abs(expected)), port,
                            "stored log-probs are the Gaussian densities of the stored samples",
                            "step \(k) element \(i): \(trace.logProbs[k][i]) vs \(expected)")
            }
        }
    }

    /// A trainable policy recomputes, at the stored states, the transition means its trace recorded (so every
    /// ratio is 1 before an update), and accepts a zero gradient.
    public static func checkTrainablePolicy(_ policy: some TrainablePolicy, observation: Observation) async throws {
        let port = "TrainablePolicy"
        try await checkPolicy(policy, observation: observation)
        let sample = try await policy.act(on: observation, sampling: .stochastic(eta: 0.5, seed: 3))
        guard let trace = sample.trace else {
            throw ContractViolation(port: port, rule: "stochastic samples carry their trace", detail: "nil trace")
        }
        let records = [PolicyStepRecord(observation: observation, trace: trace)]
        let means = try await policy.transitionMeans(for: records)
        try require(means.count == 1 && means[0].count == trace.steps, port, "one K × (CH·D) block per record")
        for k in 0..<trace.steps {
            for (i, mean) in means[0][k].enumerated() {
                let stored = Double(trace.means[k][i])
                try require(abs(mean - stored) <= 1e-5 * max(1, abs(stored)), port,
                            "recomputed means equal the stored ones before an update", "step \(k) element \(i): \(mean) vs \(stored)")
            }
        }
        let zero = means.map { $0.map { $0.map { _ in 0.0 } } }
        let report = try await policy.applyMeansGradient(zero, for: records)
        try require(report.gradientNorm == 0, port, "a zero gradient has norm 0", "\(report.gradientNorm)")
    }

    /// Saved episodes load back equal, list by task, and missing ids throw ``EpisodeStoreError/notFound(id:)``.
    public static func checkEpisodeStore(_ store: some EpisodeStore, sample: Episode) async throws {
        let port = "EpisodeStore"
        try await store.save(sample)
        let loaded = try await store.load(id: sample.id)
        try require(loaded == sample, port, "a saved episode loads back equal")
        try require(try await store.list(task: sample.task).contains(sample.summary), port, "list shows the episode")
        try require(try await store.list(task: sample.task + "-other").isEmpty, port, "list filters by task")
        try await store.remove(id: sample.id)
        var missing: (any Error)?
        do { _ = try await store.load(id: sample.id) } catch { missing = error }
        try require((missing as? EpisodeStoreError) == .notFound(id: sample.id), port,
                    "a removed episode is gone and loading it throws notFound", "\(String(describing: missing))")
    }

    /// A written clip reads back with the same frame count and size, and pixels within `tolerance` mean absolute
    /// error (lossy codecs); a missing path throws.
    public static func checkVideoRoundTrip(writer: some VideoWriter, reader: some VideoReader, clip: VideoClip,
                                           path: String, missingPath: String, tolerance: Double) async throws {
        let port = "VideoReader/VideoWriter"
        try await writer.write(clip, path: path)
        let back = try await reader.read(path: path)
        try require(back.frames.count == clip.frames.count, port, "frame count survives",
                    "\(back.frames.count) vs \(clip.frames.count)")
        try require(back.width == clip.width && back.height == clip.height, port, "frame size survives")
        var error = 0.0, count = 0.0
        for (a, b) in zip(back.frames, clip.frames) {
            for (p, q) in zip(a.pixels, b.pixels) { error += abs(Double(p) - Double(q)); count += 1 }
        }
        try require(error / count <= tolerance, port, "pixels survive within tolerance", "mean abs error \(error / count)")
        try require(await throwsError { _ = try await reader.read(path: missingPath) }, port, "a missing file throws")
    }

    /// The flow between a frame and its copy shifted by (dx, dy) is (dx, dy) on average within `tolerance`
    /// pixels, and zero between a frame and itself.
    public static func checkFlowEstimator(_ estimator: some OpticalFlowEstimator, image: RGBImage, dx: Int, dy: Int,
                                          tolerance: Double) throws {
        let port = "OpticalFlowEstimator"
        let moved = TranslatingWorldModel.shifted(image, dx: dx, dy: dy)
        let field = try estimator.flow(from: image, to: moved)
        try require(field.width == image.width && field.height == image.height, port, "one vector per pixel")
        var sx = 0.0, sy = 0.0
        for i in stride(from: 0, to: field.vectors.count, by: 2) {
            sx += Double(field.vectors[i]); sy += Double(field.vectors[i + 1])
        }
        let n = Double(field.vectors.count / 2)
        try require(abs(sx / n - Double(dx)) <= tolerance && abs(sy / n - Double(dy)) <= tolerance, port,
                    "recovers a global shift", "mean (\(sx / n), \(sy / n)) for (\(dx), \(dy))")
        let still = try estimator.flow(from: image, to: image)
        try require(still.vectors.allSatisfy { abs($0) <= Float(tolerance) }, port, "no motion gives zero flow")
    }

    /// Rewards are finite, and the same rollout gets the same verdict.
    public static func checkRewardModel(_ model: some RewardModel, rollout: VideoClip, instruction: String) async throws {
        let port = "RewardModel"
        let verdict = try await model.score(rollout: rollout, instruction: instruction)
        try require(verdict.reward.isFinite, port, "rewards are finite", "\(verdict.reward)")
        let again = try await model.score(rollout: rollout, instruction: instruction)
        try require(again == verdict, port, "the same rollout gets the same verdict")
    }
}

/// Whether `body` throws.
func throwsError(_ body: () async throws -> Void) async -> Bool {
    do { try await body(); return false } catch { return true }
}
