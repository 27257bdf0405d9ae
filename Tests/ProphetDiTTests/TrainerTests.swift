import ProphRLCore
import ProphetDiT
import TensorEngine
import Testing

/// Synthetic episodes: a bright square moving by the commanded x/y step (actions 0 and 1) on a dark background.
enum SquareEpisodes {
    static func episode(id: String, steps: Int, size: Int, seed: UInt64, poseRotation: Bool = true) throws -> Episode {
        var rng = SeededGenerator(seed: seed)
        var (x, y) = (Double(size) / 2, Double(size) / 2)
        var frames: [RGBImage] = [], chunks: [ActionChunk] = [], states: [RobotState] = []
        func draw() throws -> RGBImage {
            var pixels = [UInt8](repeating: 20, count: size * size * 3)
            for py in 0..<size { for px in 0..<size where abs(Double(px) - x) < 4 && abs(Double(py) - y) < 4 {
                pixels[(py * size + px) * 3] = 230; pixels[(py * size + px) * 3 + 1] = 200
            } }
            return try RGBImage(width: size, height: size, pixels: pixels)
        }
        frames.append(try draw())
        let direction = rng.nextUniform() < 0.5 ? -1.0 : 1.0
        for _ in 0..<steps {
            let dx = direction * 0.05, dy = (rng.nextUniform() - 0.5) * 0.02
            x = Swift.min(Double(size) - 5, Swift.max(4, x + dx * 20))
            y = Swift.min(Double(size) - 5, Swift.max(4, y + dy * 20))
            frames.append(try draw())
            chunks.append(try ActionChunk(steps: 1, maxEffectors: 1, values: [Float(dx), Float(dy), 0, 0, 0, 0, 1], validity: [true]))
            states.append(try RobotState(effectors: [EndEffectorState(pose: Pose(position: Vector3(x, y, 0), rotation: .identity), gripper: 1)],
                                         jointPositions: [0, 0, 0, 0, 0, 0]))
        }
        return try Episode(id: id, task: "square", instruction: "move", seed: seed,
                           video: VideoClip(frames: frames, framesPerSecond: 10), states: states, chunks: chunks, success: true)
    }

    static func dataset(count: Int, steps: Int = 16, config: ProphetConfiguration = .tiny) throws -> ProphetDataset {
        try ProphetDataset(name: "squares", episodes: (0..<count).map {
            try episode(id: "ep\($0)", steps: steps, size: config.width, seed: UInt64($0))
        }, configuration: config)
    }
}

@Suite("Prophet trainer")
struct TrainerTests {
    static func options() -> ProphetTrainer.Options {
        var options = ProphetTrainer.Options()
        options.autoencoderSteps = 3
        options.autoencoderBatch = 2
        options.ditBatch = 2
        options.warmupSteps = 2
        return options
    }

    @Test("autoencoder, latent cache and DiT steps run; resuming from saved state continues identically")
    func resume() throws {
        let dataset = try SquareEpisodes.dataset(count: 2)
        #expect(dataset.chunkCount == 2 * 3)
        func fresh() throws -> ProphetTrainer {
            try ProphetTrainer(model: ProphetModel(configuration: .tiny, seed: 1), datasets: [dataset], options: Self.options(), seed: 2)
        }
        let straight = try fresh()
        for _ in 0..<3 { _ = try straight.autoencoderTrainingStep() }
        var losses: [Float] = []
        for _ in 0..<4 { losses.append(try straight.ditTrainingStep()) }
        #expect(losses.allSatisfy { $0.isFinite && $0 > 0 })

        let first = try fresh()
        for _ in 0..<3 { _ = try first.autoencoderTrainingStep() }
        for _ in 0..<2 { _ = try first.ditTrainingStep() }
        let saved = try first.stateTensors(), savedRng = first.rng
        let resumed = try fresh()
        try resumed.restore(saved, rng: savedRng)
        #expect(resumed.ditStep == 2 && resumed.autoencoderDone)
        for _ in 0..<2 { _ = try resumed.ditTrainingStep() }
        let a = straight.model.parameters(), b = resumed.model.parameters()
        // Bitwise in a quiet process; other suites running BLAS concurrently can change OpenBLAS's thread split
        // (and so the summation order), hence the tiny tolerance.
        let differing = a.keys.filter { key in
            guard let x = a[key]?.scalars, let y = b[key]?.scalars, x.count == y.count else { return true }
            return zip(x, y).contains { abs($0 - $1) > 1e-5 * max(1, abs($0)) }
        }.sorted()
        #expect(differing.isEmpty, "differing parameters: \(differing)")
    }

    @Test("the first DiT step normalises actions per dimension (mean 0, std 1 where the data varies)")
    func actionNormalisation() throws {
        let episodes = try (0..<4).map { try SquareEpisodes.episode(id: "e\($0)", steps: 16, size: 32, seed: UInt64($0)) }
        let dataset = try ProphetDataset(name: "squares", episodes: episodes, configuration: .tiny)
        let trainer = try ProphetTrainer(model: ProphetModel(configuration: .tiny, seed: 1), datasets: [dataset],
                                         options: Self.options(), seed: 2)
        _ = try trainer.ditTrainingStep()
        let rows = episodes.flatMap { $0.chunks.map(\.values) }
        let prepared = rows.map { trainer.model.preparedActions($0) }
        for d in [0, 1] {
            let values = prepared.map { Double($0[d]) }, n = Double(values.count)
            let mean = values.reduce(0, +) / n
            let std = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / n).squareRoot()
            #expect(abs(mean) < 1e-4 && abs(std - 1) < 1e-3, "dimension \(d): mean \(mean), std \(std)")
        }
        #expect(prepared.allSatisfy { abs($0[6]) < 1e-6 })
    }

    @Test("empty, wrong-resolution and too-short datasets are typed errors")
    func badDatasets() throws {
        #expect(throws: ValidationError.self) { try ProphetDataset(name: "e", episodes: [], configuration: .tiny) }
        let wrongSize = try SquareEpisodes.episode(id: "a", steps: 12, size: 48, seed: 1)
        #expect(throws: ValidationError.self) { try ProphetDataset(name: "w", episodes: [wrongSize], configuration: .tiny) }
        let short = try SquareEpisodes.episode(id: "b", steps: 4, size: 32, seed: 1)
        #expect(throws: ValidationError.self) { try ProphetDataset(name: "s", episodes: [short], configuration: .tiny) }
        #expect(throws: ValidationError.self) {
            try ProphetTrainer(model: ProphetModel(configuration: .tiny, seed: 1), datasets: [], options: Self.options(), seed: 2)
        }
    }
}
