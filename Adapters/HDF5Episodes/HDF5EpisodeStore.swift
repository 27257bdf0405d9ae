import CHDF5
import Foundation
import ProphRLCore

/// An ``EpisodeStore`` in one HDF5 file with the robomimic/LIBERO layout:
///
/// ```
/// data                      @total, @env_args
/// data/demo_N               @num_samples @prophrl_id @task @instruction @seed @success @fps
///   actions                 float32 [T, 7]   (effector 0, .absoluteDifference in the simulator)
///   dones, rewards          uint8 [T], float64 [T]   (done and reward 1-on-success at the last step)
///   obs/agentview_rgb       uint8  [F, H, W, 3]   (initial frame + one per action; gzip 4, one frame per chunk)
///   obs/ee_pos, obs/ee_ori  float64 [S, 3]   (TCP position, rotation vector; S = chunk count)
///   obs/gripper_states      float64 [S, 2]   (finger positions ±openness · 0.05 m, mirrored)
///   obs/joint_states        float64 [S, J]
///   camera_K, camera_E      float64 [F, 3, 3], [F, 4, 4]
///   prophrl/...             exact chunk and state data for a lossless round trip
/// ```
///
/// Every mutation is copy-on-write: the file is copied, changed, flushed, fsynced and renamed over the
/// original, so a crash mid-write leaves the previous file intact. Cost: one file copy per call; use
/// ``save(contentsOf:)`` to append many episodes at once.
public actor HDF5EpisodeStore: EpisodeStore {
    /// The file.
    public let path: String
    let camera: SceneCamera?
    var tempCounter = 0

    /// Opens (or, on first save, creates) the store at `path`; `camera` is recorded per frame when given.
    public init(path: String, camera: SceneCamera? = nil) {
        self.path = path
        self.camera = camera
    }

    /// Saves one episode atomically, replacing one with the same id.
    public func save(_ episode: Episode) async throws { try save(contentsOf: [episode]) }

    /// Saves several episodes in one atomic file replacement.
    public func save(contentsOf episodes: [Episode]) throws {
        try mutate { file in
            var existing = try demoIDs(file)
            for episode in episodes {
                if let group = existing[episode.id] { try file.delete(group) }
                let next = (try file.children("data").compactMap { Int($0.dropFirst("demo_".count)) }.max() ?? -1) + 1
                let group = "data/demo_\(next)"
                try EpisodeLayout.write(episode, to: file, group: group, camera: camera)
                existing[episode.id] = group
            }
            try updateTotal(file)
        }
    }

    /// Loads an episode by id (or by group name "demo_N" for files written elsewhere, e.g. LIBERO).
    public func load(id: String) async throws -> Episode {
        let file = try openForReading()
        guard let file, let group = try demoIDs(file)[id] else { throw EpisodeStoreError.notFound(id: id) }
        do {
            return try EpisodeLayout.read(from: file, group: group, id: id)
        } catch let error as HDF5Error {
            throw EpisodeStoreError.corrupt(id: id, detail: error.description)
        }
    }

    /// Summaries ordered by id, optionally of one task.
    public func list(task: String?) async throws -> [EpisodeSummary] {
        guard let file = try openForReading() else { return [] }
        var summaries: [EpisodeSummary] = []
        for (id, group) in try demoIDs(file) {
            let summary = try EpisodeLayout.summary(file: file, group: group, id: id)
            if task == nil || summary.task == task { summaries.append(summary) }
        }
        return summaries.sorted { $0.id < $1.id }
    }

    /// Removes an episode atomically.
    public func remove(id: String) async throws {
        guard let file = try openForReading(), try demoIDs(file)[id] != nil else { throw EpisodeStoreError.notFound(id: id) }
        try mutate { file in
            guard let group = try demoIDs(file)[id] else { throw EpisodeStoreError.notFound(id: id) }
            try file.delete(group)
            try updateTotal(file)
        }
    }

    // MARK: Internals

    func openForReading() throws -> HDF5File? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let file = try HDF5File(path: path, mode: .read)
        guard file.exists("data") else { throw HDF5Error.layout(path: path, object: "data", reason: "missing group") }
        return file
    }

    /// id → group path of every demo.
    func demoIDs(_ file: HDF5File) throws -> [String: String] {
        var ids: [String: String] = [:]
        for name in try file.children("data") where name.hasPrefix("demo_") {
            let group = "data/\(name)"
            let id = file.hasAttribute(group, "prophrl_id") ? try file.stringAttribute(group, "prophrl_id") : name
            ids[id] = group
        }
        return ids
    }

    func updateTotal(_ file: HDF5File) throws {
        var total: Int64 = 0
        for name in try file.children("data") where name.hasPrefix("demo_") {
            total += try file.attribute("data/\(name)", "num_samples", type: prophrl_h5t_int64(), zero: Int64(0))
        }
        try file.setAttribute("data", "total", total, type: prophrl_h5t_int64())
    }

    /// Copy → change → flush → fsync → rename.
    func mutate(_ body: (HDF5File) throws -> Void) throws {
        tempCounter += 1
        let temp = "\(path).tmp-\(getpid())-\(tempCounter)"
        let manager = FileManager.default
        try? manager.removeItem(atPath: temp)
        do {
            if manager.fileExists(atPath: path) {
                _ = try HDF5File(path: path, mode: .read)   // refuse to build on a damaged file
                try manager.copyItem(atPath: path, toPath: temp)
                let file = try HDF5File(path: temp, mode: .write)
                try body(file)
                try file.flush()
            } else {
                let file = try HDF5File(path: temp, mode: .create)
                try file.createGroup("data")
                try file.setAttribute("data", "env_args",
                                      #"{"env_name": "bullet-ur30e", "type": 1, "env_kwargs": {"control_freq": 10}}"#)
                try body(file)
                try file.flush()
            }
            let handle = try FileHandle(forUpdating: URL(fileURLWithPath: temp))
            try handle.synchronize()
            try handle.close()
            guard rename(temp, path) == 0 else { throw HDF5Error.call(path: path, what: "rename from \(temp)") }
            let directory = open((path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent, O_RDONLY)
            if directory >= 0 { fsync(directory); close(directory) }
        } catch {
            try? manager.removeItem(atPath: temp)
            throw error
        }
    }
}
