import ArgumentParser
import Foundation
import HDF5Episodes
import ProphetDiT
import ProphRL
import ProphRLCore
import TensorEngine

/// `judge train --prophet RUN --prophet-data D.hdf5`: adds Prophet-generated rollouts to the judge's data. Each
/// recorded episode's actions are replayed open-loop through Prophet from its first frame, and the generated video
/// is labelled with the recorded episode's simulator success. `--generated-data` adds episodes whose videos a world
/// model already generated (`rl train --physics-shadow --imagined-out`: imagined rollouts labelled by physics).
struct JudgeProphetOptions: ParsableArguments {
    @Option(help: "A Prophet run file ('world train'): adds its open-loop replays of --prophet-data episodes, labelled with their recorded success.")
    var prophet: String?
    @Option(help: "HDF5 episodes (with actions) to replay through --prophet (repeatable).") var prophetData: [String] = []
    @Option(help: "BLAS threads for the Prophet replays.") var threads: Int = 1
    @Option(help: "Also save the Prophet replays to this HDF5 file, so later judges can reuse them with --generated-data.")
    var replaysOut: String?
    @Option(help: "HDF5 episodes whose videos are already world-model generated, with labels (e.g. 'rl train --imagined-out'; repeatable); held out and scored with the generated split.")
    var generatedData: [String] = []

    /// Throws a `CLIError` naming the option when `--prophet` and `--prophet-data` do not come together.
    func check() throws {
        if prophet != nil && prophetData.isEmpty { throw CLIError("--prophet-data: required with --prophet") }
        if prophet == nil && !prophetData.isEmpty { throw CLIError("--prophet: required with --prophet-data") }
        if threads < 1 { throw CLIError("--threads: expected ≥ 1, got \(threads)") }
    }

    /// The Prophet replays of every `--prophet-data` episode, then every `--generated-data` episode (of `task`, if given).
    /// - Throws: `CLIError` naming `--generated-data` when a file has no episode of `task`.
    func replayed(task: String?) throws -> [Episode] {
        var generated = try prophet.map { try Self.replay(prophet: $0, data: prophetData, task: task, threads: threads) } ?? []
        if let replaysOut {
            guard !generated.isEmpty else { throw CLIError("--replays-out: needs --prophet and --prophet-data") }
            try runBlocking { [generated] in try await HDF5EpisodeStore(path: replaysOut).save(contentsOf: generated) }
        }
        for path in generatedData {
            guard FileManager.default.fileExists(atPath: path) else { throw CLIError("--generated-data: no such file '\(path)'") }
            let episodes = try WorldSupport.episodes(path).filter { task == nil || $0.task == task }
            guard !episodes.isEmpty else { throw CLIError("--generated-data: no episodes\(task.map { " of task \($0)" } ?? "") in \(path)") }
            generated += episodes
        }
        return generated
    }

    /// Replays the episodes of `data` through the Prophet run `prophet` (fast sampler, seed = episode index).
    static func replay(prophet: String, data: [String], task: String?, threads: Int) throws -> [Episode] {
        guard FileManager.default.fileExists(atPath: prophet) else { throw CLIError("--prophet: no such file '\(prophet)'") }
        try BLASRuntime.setThreads(threads)
        let (model, _) = try WorldSupport.loadModel(prophet)
        let world = ProphetWorldModel(model: model, sampler: .fast)
        let replay = try WorldModelReplay(chunkFrames: model.configuration.chunkFrames, semantics: WorldRL.semantics)
        let episodes = try Self.episodes(data, task: task, option: "--prophet-data")
        let started = Date()
        var bar = ProgressBar(total: episodes.count, label: "prophet replay", style: .lines, write: { print($0, terminator: ""); fflush(nil) })
        var replayed: [Episode] = []
        for (i, episode) in episodes.enumerated() {
            guard !episode.chunks.isEmpty else {
                throw CLIError("--prophet-data: episode \(episode.id) has no recorded actions to replay")
            }
            replayed.append(try runBlocking { try await replay.replay(world, episode: episode, seed: UInt64(i)) })
            bar.advance(detail: episode.id)
        }
        print(String(format: "replayed %d episodes through Prophet in %.1f s", replayed.count, Date().timeIntervalSince(started)))
        return replayed
    }

    /// The episodes of `data` with each real video passed through the Prophet run's autoencoder (encoded, then decoded
    /// with the first frame as the refiner's reference): what a perfect DiT could show the judge. Judging these
    /// against the real videos and the open-loop replays splits what the world model loses between AE and DiT.
    static func reconstructed(prophet: String, data: [String], task: String?, threads: Int) throws -> [Episode] {
        guard FileManager.default.fileExists(atPath: prophet) else { throw CLIError("--reconstruct: no such file '\(prophet)'") }
        try BLASRuntime.setThreads(threads)
        let (model, _) = try WorldSupport.loadModel(prophet)
        var episodes = try Self.episodes(data, task: task, option: "--data")
        var bar = ProgressBar(total: episodes.count, label: "autoencoder", style: .lines, write: { print($0, terminator: ""); fflush(nil) })
        for i in episodes.indices {
            let frames = episodes[i].video.frames
            guard let last = frames.last else { throw CLIError("--data: episode \(episodes[i].id) has no frames") }
            // The causal autoencoder takes 1 + 4k frames: repeat the last frame to fill the final group, then drop it.
            let padded = frames + Array(repeating: last, count: (4 - (frames.count - 1) % 4) % 4)
            let rebuilt = try ProphetWorldModel.images(video: model.reconstruct(ProphetWorldModel.tensor(frames: padded)))
            episodes[i].video = try VideoClip(frames: Array(rebuilt.prefix(frames.count)),
                                              framesPerSecond: episodes[i].video.framesPerSecond)
            bar.advance(detail: episodes[i].id)
        }
        return episodes
    }

    /// The episodes of `task` (all tasks when nil) in the HDF5 files `data`.
    /// - Throws: `CLIError` naming `option` when there are none.
    static func episodes(_ data: [String], task: String?, option: String) throws -> [Episode] {
        let episodes = try data.flatMap { try WorldSupport.episodes($0).filter { task == nil || $0.task == task } }
        guard !episodes.isEmpty else { throw CLIError("\(option): no episodes\(task.map { " of task \($0)" } ?? "") in \(data)") }
        return episodes
    }
}
