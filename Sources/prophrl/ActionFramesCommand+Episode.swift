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

    /// The simulator's camera as the renderer's pinhole camera. `prophrl sim collect` records through
    /// `SimulationRun.defaultCamera` at the video's size; the store does not hand back the recorded `camera_K`/`camera_E`.
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
        let recorded = try waitForAsync { () async throws -> Episode in
            let ids = try await store.list(task: nil).map(\.id)
            if ids.contains(choice) { return try await store.load(id: choice) }
            guard let index = Int(choice), ids.indices.contains(index) else {
                throw CLIError("--episode: expected an id or an index in 0..<\(ids.count) of \(path), got '\(choice)'")
            }
            return try await store.load(id: ids[index])
        }
        let video = recorded.video
        let markers = try EpisodeActionFrames.markers(for: recorded, semantics: .absoluteDifference)
        var background: FFmpegVideoDecoder?
        if let overlay {
            background = try FFmpegVideoDecoder(path: overlay, outputSize: (video.width, video.height))
        }
        let renderer = try ActionFrameRenderer(camera: Self.simulatorCamera(width: video.width, height: video.height),
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
              + "\(video.framesPerSecond) fps" + (overlayRecorded ? " over the recorded video" : overlay.map { " over \($0)" } ?? ""))
    }
}
