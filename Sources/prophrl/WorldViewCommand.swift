import ArgumentParser
import Foundation
import HDF5Episodes
import ProphetDiT
import ProphRL
import ProphRLCore

/// `prophrl world view`: writes a copy of recorded episodes whose frames are seen through a Prophet run's autoencoder,
/// stamped with the run (``ViewStamp``), so that `policy sft` and `rl train --anchor-demos` with the same
/// `--view-through` read them as they are instead of viewing every frame again (8–19 min for 200 demos on 2 cores).
struct WorldViewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "view",
        abstract: "Write episodes with every frame seen through a Prophet run's autoencoder (a cache for --view-through).",
        discussion: """
        Each frame t becomes what a policy deciding every --chunk-steps frames sees through the autoencoder, as
        'policy sft --view-through' computes it. The output is written in batches and resumes: episodes already in
        --out are kept when its stamp names the same run and interval.
        """)

    @Option(help: "The Prophet run file whose autoencoder the frames pass through.") var model: String
    @Option(help: "HDF5 episodes with raw frames.") var data: String
    @Option(help: "Only episodes of this task (default: every episode).") var task: String?
    @Option(help: "Decision interval in frames (default: the run's chunk frames).") var chunkSteps: Int?
    @Option(help: "Episodes per atomic write (each write copies the file).") var batch: Int = 20
    @Option(help: "The output HDF5 file (created, or resumed when stamped with the same view).") var out: String

    func validate() throws {
        if let chunkSteps, chunkSteps < 1 { throw ValidationError("--chunk-steps: expected ≥ 1, got \(chunkSteps)") }
        guard batch >= 1 else { throw ValidationError("--batch: expected ≥ 1, got \(batch)") }
        guard (out as NSString).standardizingPath != (data as NSString).standardizingPath else {
            throw ValidationError("--out: must differ from --data")
        }
    }

    func run() throws {
        guard FileManager.default.fileExists(atPath: data) else { throw CLIError("--data: no such file '\(data)'") }
        let (prophet, _) = try WorldSupport.loadModel(model)
        let steps = chunkSteps ?? prophet.configuration.chunkFrames
        let stamp = ViewStamp(identity: try ViewStamp.identity(ofRun: model, option: "--model"), path: model, chunkSteps: steps)
        let view = ProphetAutoencoderView(model: prophet)
        let (data, task, out, batch, model) = (data, task, out, batch, model)
        try runBlocking {
            if let existing = try await ViewStamp.read(data, option: "--data") {
                throw CLIError("--data: \(data) is already seen through \(existing.path)'s autoencoder; view the raw episodes")
            }
            let output = HDF5EpisodeStore(path: out)
            if FileManager.default.fileExists(atPath: out) {
                guard let existing = try await ViewStamp.read(out, option: "--out"), existing.identity == stamp.identity,
                      existing.chunkSteps == stamp.chunkSteps else {
                    throw CLIError("--out: '\(out)' exists and is not a view of \(data) through this run at \(steps) frames per decision")
                }
            }
            let done = Set(try await output.list(task: nil).map(\.id))
            let input = HDF5EpisodeStore(path: data)
            let todo = try await input.list(task: task).filter { !done.contains($0.id) }
            print("viewing \(todo.count) episodes of \(data) through \(model)'s autoencoder, decisions every \(steps) frames"
                  + (done.isEmpty ? "" : " (\(done.count) already in \(out))"))
            if done.isEmpty { try await stamp.write(to: out) }
            var bar = ProgressBar(total: todo.count, label: "autoencoder view", style: isatty(1) != 0 ? .bar : .lines,
                                  write: { print($0, terminator: ""); fflush(nil) })
            var pending: [Episode] = []
            for summary in todo {
                pending.append(try await ViewedFrames.episode(try await input.load(id: summary.id), through: view, chunkSteps: steps))
                bar.advance(detail: summary.id)
                if pending.count == batch {
                    try await output.save(contentsOf: pending)
                    pending.removeAll()
                }
            }
            if !pending.isEmpty { try await output.save(contentsOf: pending) }
            print("\nwrote \(out)")
        }
    }
}
