import Foundation
import ProphRLCore
import Testing
import VideoFFmpeg

/// `prophrl action-frames episode.hdf5` on a freshly collected simulator episode: the marker of frame 0 sits on
/// the projection of the recorded initial TCP through the recorded camera (`obs/ee_pos`, `camera_K`, `camera_E`,
/// read independently with h5py).
@Suite(.serialized) final class EpisodeActionFramesCLITests {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "prophrl-episodeframes-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// The recorded initial TCP position and frame-0 camera of the first episode, via h5py; nil without the peer.
    static func recordedReference(_ path: String) throws -> [Double]? {
        let script = """
        import h5py, json, sys
        f = h5py.File(sys.argv[1], "r"); g = f["data"][sorted(f["data"].keys())[0]]
        print(json.dumps([float(v) for v in list(g["obs/ee_pos"][0]) + list(g["camera_K"][0].ravel()) + list(g["camera_E"][0].ravel())]))
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = Pipe()
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            if ProcessInfo.processInfo.environment["PROPHRL_REQUIRE_PEERS"] == "1" { Issue.record("python3 with h5py is required") }
            return nil
        }
        return try JSONDecoder().decode([Double].self, from: data)
    }

    @Test func frameZeroMarksTheRecordedInitialTCP() throws {
        let dataset = "\(directory)/episode.hdf5", frames = "\(directory)/frames.mkv", overlaid = "\(directory)/overlaid.mkv"
        let collect = try FlowCLITests.run(["sim", "collect", "--task", "place-cube", "--episodes", "1", "--resolution", "32",
                                            "--out", dataset])
        try #require(collect.status == 0, "\(collect.output)")
        let render = try FlowCLITests.run(["action-frames", dataset, "--episode", "0", "--out", frames])
        try #require(render.status == 0, "\(render.output)")
        #expect(render.output.contains("recorded camera"), "the file's camera_K/camera_E are used: \(render.output)")
        let plain = try FFmpegVideoReader().readSync(path: frames)
        #expect(plain.width == 32 && plain.frames.count > 1)
        guard let r = try Self.recordedReference(dataset) else {
            print("skipped the projection check: python3 with h5py not found"); return
        }
        // Independent projection: x_c = E · [p, 1], (u, v) = (fx x/z + cx, fy y/z + cy).
        let p = [r[0], r[1], r[2], 1.0], k = Array(r[3..<12]), e = Array(r[12..<28])
        let c = (0..<3).map { row in (0..<4).reduce(0.0) { $0 + e[4 * row + $1] * p[$1] } }
        let u = k[0] * c[0] / c[2] + k[2], v = k[4] * c[1] / c[2] + k[5]
        // The white centre dot is drawn last; its pixels' centroid is the marker centre.
        let image = plain.frames[0]
        var sx = 0.0, sy = 0.0, n = 0.0
        for y in 0..<image.height {
            for x in 0..<image.width where image[x, y] == (255, 255, 255) { sx += Double(x); sy += Double(y); n += 1 }
        }
        try #require(n > 0, "no centre dot in frame 0")
        #expect(abs(sx / n - u) <= 1 && abs(sy / n - v) <= 1, "dot at (\(sx / n), \(sy / n)), projection (\(u), \(v))")

        let over = try FlowCLITests.run(["action-frames", dataset, "--episode", "place-cube-0", "--out", overlaid, "--overlay-recorded"])
        try #require(over.status == 0, "\(over.output)")
        let blended = try FFmpegVideoReader().readSync(path: overlaid)
        let background = blended.frames[0].pixels.enumerated().filter { plain.frames[0].pixels[$0.offset] == 0 }.map(\.element)
        #expect(background.contains { $0 > 0 }, "the recorded scene shows through where no marker is drawn")
    }

    @Test func aMissingEpisodeIsNamed() throws {
        let dataset = "\(directory)/episode.hdf5"
        _ = try FlowCLITests.run(["sim", "collect", "--task", "place-cube", "--episodes", "1", "--resolution", "16", "--out", dataset])
        let result = try FlowCLITests.run(["action-frames", dataset, "--episode", "7", "--out", "\(directory)/x.mkv"])
        #expect(result.status != 0 && result.output.contains("--episode"), "\(result.output)")
    }
}
