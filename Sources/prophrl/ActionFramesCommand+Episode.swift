import BulletSimulator
import Foundation
import HDF5Episodes
import ProphRL
import ProphRLCore
import VideoFFmpeg

/// `action-frames episode.hdf5`: the action frames of a recorded episode.
extension ActionFramesCommand {
    /// Whether `path` names an HDF5 episode dataset rather than a JSON pose list.
    static func isEpisodeFile(_ path: String) -> Bool {
        let lower = path.lowercased()
        return lower.hasSuffix(".hdf5") || lower.hasSuffix(".h5")
    }

    /// The simulator's camera as the renderer's pinhole camera (`SimulationRun.defaultCamera` at the video's size,
    /// what `prophrl sim collect` records with): the fallback for files without `camera_K`/`camera_E`.
    static func simulatorCamera(width: Int, height: Int) throws -> PinholeCamera {
        guard width == height else {
            throw CLIError("the simulator records square videos; this episode's video is \(width)x\(height)")
        }
        let scene = try SimulationRun.defaultCamera(resolution: width)
        return try PinholeCamera(fx: scene.fx, fy: scene.fy, cx: scene.cx, cy: scene.cy, calibrationWidth: scene.width,
                                 calibrationHeight: scene.height, cameraFromWorld: scene.worldToCamera)
    }

    func runEpisode() throws {
        guard FileManager.default.fileExists(atPath: poses) else { throw CLIError("\(poses): no such file") }
        if overlayRecorded && overlay != nil { throw CLIError("--overlay-recorded and --overlay exclude each other") }
        let store = HDF5EpisodeStore(path: poses)
        let path = poses, choice = episode
        let (recorded, fileCamera) = try runBlocking { () async throws -> (Episode, PinholeCamera?) in
            let ids = try await store.list(task: nil).map(\.id)
            var id = choice
            if !ids.contains(choice) {
                guard let index = Int(choice), ids.indices.contains(index) else {
                    throw CLIError("--episode: expected an id or an index in 0..<\(ids.count) of \(path), got '\(choice)'")
                }
                id = ids[index]
            }
            let episode = try await store.load(id: id)
            return (episode, try await store.recordedCamera(id: id, width: episode.video.width, height: episode.video.height))
        }
        let video = recorded.video
        let markers = try EpisodeActionFrames.markers(for: recorded, semantics: .absoluteDifference)
        var background: FFmpegVideoDecoder?
        if let overlay {
            background = try FFmpegVideoDecoder(path: overlay, outputSize: (video.width, video.height))
        }
        let camera = try fileCamera ?? Self.simulatorCamera(width: video.width, height: video.height)
        let renderer = try ActionFrameRenderer(camera: camera,
                                               width: video.width, height: video.height)
        let encoder = try FFmpegVideoEncoder(path: out, width: video.width, height: video.height,
                                             framesPerSecond: video.framesPerSecond, codec: lossless ? .losslessRGB : nil)
        for (t, frame) in markers.enumerated() {
            var under: RGBImage? = overlayRecorded ? video.frames[t] : nil
            if let background {
                guard let next = try background.nextFrame() else {
                    throw CLIError("\(overlay ?? ""): has fewer frames than the episode (\(markers.count))")
                }
                under = next.image
            }
            try encoder.append(try renderer.render(frame, over: under))
        }
        try encoder.finish()
        print("wrote \(out): \(markers.count) action frames of episode \(recorded.id) at \(video.width)x\(video.height), "
              + "\(video.framesPerSecond) fps, \(fileCamera == nil ? "simulator default camera" : "recorded camera")"
              + (overlayRecorded ? " over the recorded video" : overlay.map { " over \($0)" } ?? ""))
    }
}
