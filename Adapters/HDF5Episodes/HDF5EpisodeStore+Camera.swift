import CHDF5
import ProphRLCore

extension HDF5EpisodeStore {
    /// The camera an episode was recorded with (frame 0's `camera_K` and `camera_E`), calibrated at
    /// `width × height` (the recorded video's size), or nil when the file has no per-frame camera.
    /// - Throws: ``EpisodeStoreError/notFound(id:)`` for an unknown id, ``EpisodeStoreError/corrupt(id:detail:)`` for
    ///   camera datasets of the wrong shape or a non-rigid extrinsic.
    public func recordedCamera(id: String, width: Int, height: Int) async throws -> PinholeCamera? {
        guard let file = try openForReading(), let group = try demoIDs(file)[id] else { throw EpisodeStoreError.notFound(id: id) }
        guard file.exists("\(group)/camera_K"), file.exists("\(group)/camera_E") else { return nil }
        do {
            let k = try file.read("\(group)/camera_K", type: prophrl_h5t_double(), zero: 0.0)
            let e = try file.read("\(group)/camera_E", type: prophrl_h5t_double(), zero: 0.0)
            guard k.dims.suffix(2) == [3, 3], k.values.count >= 9, e.dims.suffix(2) == [4, 4], e.values.count >= 16 else {
                throw EpisodeStoreError.corrupt(id: id, detail: "camera_K/camera_E: expected [F, 3, 3] and [F, 4, 4], got \(k.dims) and \(e.dims)")
            }
            let m = Array(e.values.prefix(16))
            let rotation = try Rotation(rowMajor: [m[0], m[1], m[2], m[4], m[5], m[6], m[8], m[9], m[10]])
            let extrinsic = try Pose(position: Vector3(m[3], m[7], m[11]), rotation: rotation)
            return try PinholeCamera(fx: k.values[0], fy: k.values[4], cx: k.values[2], cy: k.values[5],
                                     calibrationWidth: width, calibrationHeight: height, cameraFromWorld: extrinsic)
        } catch let error as HDF5Error {
            throw EpisodeStoreError.corrupt(id: id, detail: error.description)
        } catch let error as ValidationError {
            throw EpisodeStoreError.corrupt(id: id, detail: "camera_K/camera_E: \(error)")
        }
    }
}
