import HDF5Episodes
import ProphRLCore
import Testing

/// `HDF5EpisodeStore.recordedCamera`: frame 0's `camera_K`/`camera_E` come back as the pinhole camera that
/// projects points exactly like the camera they were written from.
struct RecordedCameraTests {
    @Test func theRecordedCameraProjectsLikeTheOriginal() async throws {
        let episode = try sampleEpisode(id: "cam")
        let scene = try SceneCamera.d455(width: episode.video.width, height: episode.video.height,
                                         eye: Vector3(-1.3, -0.1, 0.62), target: Vector3(-0.64, -0.1, 0.06))
        let store = HDF5EpisodeStore(path: temporaryPath("camera.hdf5"), camera: scene)
        try await store.save(episode)
        let camera = try #require(try await store.recordedCamera(id: "cam", width: scene.width, height: scene.height))
        for point in [Vector3(-0.62, -0.12, 0.3), Vector3(-0.5, 0.1, 0.05), Vector3(-0.8, -0.3, 0.2)] {
            let expected = try #require(scene.project(point))
            let actual = try #require(camera.project(point, width: scene.width, height: scene.height))
            #expect(abs(actual.u - expected.u) < 1e-9 && abs(actual.v - expected.v) < 1e-9 && abs(actual.depth - expected.depth) < 1e-9)
        }
    }

    @Test func aFileWithoutCameraGivesNilAndAnUnknownIdIsNamed() async throws {
        let store = HDF5EpisodeStore(path: temporaryPath("nocamera.hdf5"))
        try await store.save(try sampleEpisode(id: "plain"))
        #expect(try await store.recordedCamera(id: "plain", width: 8, height: 8) == nil)
        await #expect(throws: EpisodeStoreError.notFound(id: "other")) {
            _ = try await store.recordedCamera(id: "other", width: 8, height: 8)
        }
    }
}
