import Foundation
import HDF5Episodes
import ProphRLCore
import Testing

@Suite("HDF5EpisodeStore file notes")
struct FileNotesTests {
    @Test func notesRoundTripAndKeepTheEpisodes() async throws {
        let store = HDF5EpisodeStore(path: temporaryPath("notes.hdf5"))
        #expect(try await store.note("prophrl_viewed_through") == nil, "no file yet: no note")
        try await store.save(contentsOf: [try sampleEpisode(id: "a"), try sampleEpisode(id: "b", seed: 5)])
        #expect(try await store.note("prophrl_viewed_through") == nil)
        try await store.setNotes([("prophrl_viewed_through", "2026-11-26T09:57:02Z step 12000"), ("empty", "")])
        #expect(try await store.note("prophrl_viewed_through") == "2026-11-26T09:57:02Z step 12000")
        #expect(try await store.note("empty") == "")
        try await store.setNotes([("prophrl_viewed_through", "ünïcode step 1")])
        #expect(try await store.note("prophrl_viewed_through") == "ünïcode step 1", "a note is replaced, not appended")
        #expect(try await store.list(task: nil).map(\.id) == ["a", "b"])
        #expect(try await store.load(id: "b") == (try sampleEpisode(id: "b", seed: 5)))
        // Saving episodes later keeps the notes.
        try await store.save(try sampleEpisode(id: "c"))
        #expect(try await store.note("prophrl_viewed_through") == "ünïcode step 1")
    }

    @Test func aNonTextNoteIsACorruptStore() async throws {
        let store = HDF5EpisodeStore(path: temporaryPath("numeric.hdf5"))
        try await store.save(try sampleEpisode(id: "a"))
        // `data@total` is the robomimic sample count, an integer.
        await #expect(throws: EpisodeStoreError.self) { _ = try await store.note("total") }
    }
}
