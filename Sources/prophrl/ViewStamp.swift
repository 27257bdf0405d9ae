import CheckpointSQLite
import Foundation
import HDF5Episodes

/// What `world view` records in an HDF5 file whose frames it saw through a Prophet autoencoder: which run (by its
/// creation time and checkpoint step, so a copied file still matches), where it was, and the decision interval. Commands
/// that would view the frames again (`policy sft`, `rl train --anchor-demos` with `--view-through`) read them as they
/// are when the stamp names the same view, and refuse a file seen through another view or used without one.
struct ViewStamp: Equatable {
    /// The Prophet run's identity: `<created> step <latest checkpoint step>`.
    var identity: String
    /// The Prophet run file's path when the frames were viewed (for messages).
    var path: String
    /// The decision interval the viewed frames assume (``ViewedFrames``' `chunkSteps`).
    var chunkSteps: Int

    static let identityNote = "prophrl_viewed_through", pathNote = "prophrl_viewed_through_path",
               chunkNote = "prophrl_viewed_chunk_steps"

    /// The identity of the Prophet run file at `path`.
    /// - Throws: `CLIError` naming `option` when the file is missing or has no checkpoint.
    static func identity(ofRun path: String, option: String = "--view-through") throws -> String {
        guard FileManager.default.fileExists(atPath: path) else { throw CLIError("\(option): no such file '\(path)'") }
        let store = try SQLiteCheckpointStore(path: path, mode: .readOnly)
        guard let latest = try store.latest() else { throw CLIError("\(option): '\(path)' has no checkpoint yet") }
        return "\(try store.runRecord().created) step \(latest.step)"
    }

    /// The stamp of the HDF5 file `data`, nil when its frames are raw.
    /// - Throws: `CLIError` naming `option` for a stamp with an unreadable decision interval.
    static func read(_ data: String, option: String) async throws -> ViewStamp? {
        let store = HDF5EpisodeStore(path: data)
        guard let identity = try await store.note(identityNote) else { return nil }
        let chunkText = try await store.note(chunkNote) ?? ""
        guard let chunkSteps = Int(chunkText), chunkSteps >= 1 else {
            throw CLIError("\(option): \(data) is stamped as viewed but its \(chunkNote) is '\(chunkText)'")
        }
        return ViewStamp(identity: identity, path: try await store.note(pathNote) ?? "?", chunkSteps: chunkSteps)
    }

    /// Writes this stamp into the HDF5 file `data` (atomically, keeping its episodes).
    func write(to data: String) async throws {
        try await HDF5EpisodeStore(path: data).setNotes([(Self.identityNote, identity), (Self.pathNote, path),
                                                         (Self.chunkNote, String(chunkSteps))])
    }

    /// Whether frames stamped `stamp` (nil: raw) can serve a command that looks through `viewThrough` (nil: raw frames)
    /// with decisions every `chunkSteps`: true when they are already seen through it, false when they still need the view.
    /// - Throws: `CLIError` naming `option` and `data` for viewed frames used raw, seen through another run, or with
    ///   another decision interval.
    static func alreadyViewed(_ stamp: ViewStamp?, data: String, viewThrough: String?, chunkSteps: Int,
                              option: String) throws -> Bool {
        guard let stamp else { return false }
        guard let viewThrough else {
            throw CLIError("\(option): \(data) holds frames seen through \(stamp.path)'s autoencoder ('world view'); "
                           + "pass --view-through \(stamp.path)")
        }
        let identity = try identity(ofRun: viewThrough)
        guard identity == stamp.identity else {
            throw CLIError("\(option): \(data) holds frames seen through another Prophet run (\(stamp.path), \(stamp.identity)) "
                           + "than --view-through \(viewThrough) (\(identity)); view the raw demos instead")
        }
        guard chunkSteps == stamp.chunkSteps else {
            throw CLIError("\(option): \(data) was viewed for decisions every \(stamp.chunkSteps) frames, the policy decides "
                           + "every \(chunkSteps); run 'world view --chunk-steps \(chunkSteps)' on the raw demos")
        }
        return true
    }
}
