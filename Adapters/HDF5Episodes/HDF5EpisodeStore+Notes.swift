import Foundation
import ProphRLCore

extension HDF5EpisodeStore {
    /// The file-level text note `name` (an attribute of the `data` group), nil when the file or the note is absent.
    /// - Throws: ``EpisodeStoreError/corrupt(id:detail:)`` when the note exists but is not text.
    public func note(_ name: String) throws -> String? {
        guard let file = try openForReading(), file.hasAttribute("data", name) else { return nil }
        do {
            return try file.stringAttribute("data", name)
        } catch let error as HDF5Error {
            throw EpisodeStoreError.corrupt(id: "data@\(name)", detail: error.description)
        }
    }

    /// Sets file-level text notes atomically (creating the file when absent), keeping every episode.
    public func setNotes(_ notes: [(name: String, value: String)]) throws {
        try mutate { file in
            for note in notes { try file.setAttribute("data", note.name, note.value) }
        }
    }
}
