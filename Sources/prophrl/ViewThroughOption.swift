import CheckpointSQLite
import Foundation
import ProphetDiT
import ProphRLCore

/// `--view-through PROPHET` of `policy sft`, `rl train` and `sim eval`: the Prophet autoencoder a policy looks through,
/// and the check that a policy is used with the view it was trained with.
enum ViewThroughOption {
    /// The autoencoder view of the Prophet run file `path`.
    /// - Throws: `CLIError` naming `--view-through` for a missing file, or frames other than `resolution`² when given.
    static func load(_ path: String, resolution: Int? = nil) throws -> ProphetAutoencoderView {
        guard FileManager.default.fileExists(atPath: path) else { throw CLIError("--view-through: no such file '\(path)'") }
        let (model, _) = try WorldSupport.loadModel(path)
        let (width, height) = (model.configuration.width, model.configuration.height)
        if let resolution, width != resolution || height != resolution {
            throw CLIError("--view-through: the model draws \(width)x\(height) frames, the camera \(resolution)x\(resolution)")
        }
        return ProphetAutoencoderView(model: model)
    }

    /// The Prophet file a policy run was trained looking through (`viewThrough` in its run record), nil when none or
    /// unreadable (the command itself then reports what is wrong with the file).
    static func recorded(policy: String) -> String? {
        guard let record = try? SQLiteCheckpointStore(path: policy, mode: .readOnly).runRecord(),
              let config = try? JSONValue.parse(record.configJSON) else { return nil }
        return config["viewThrough"]?.stringValue
    }

    /// Prints a note when `given` differs from the view the policy was trained with: the policy then sees frames
    /// unlike its training frames (part 12 of docs/results.md: 27 % → 15 % for the raw SFT seen through the view).
    static func warnIfMismatched(policy: String, given: String?) {
        let recorded = recorded(policy: policy)
        guard recorded != given else { return }
        if let recorded {
            print("note: \(policy) was trained looking through \(recorded)'s autoencoder; pass --view-through \(recorded) to use it as trained")
        } else if let given {
            print("note: \(policy) was trained on raw frames; --view-through \(given) shows it frames unlike its training frames")
        }
    }
}
