import ArgumentParser
import Foundation
import PNGImage
import ProphRLCore
import VideoFFmpeg

/// `prophrl camera`: the live camera (V4L2 device or network stream) the deployed policy sees.
struct CameraCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "camera",
        abstract: "Live camera through FFmpeg: grab frames from a V4L2 device or a network stream.",
        subcommands: [CameraGrabCommand.self]
    )
}

/// `prophrl camera grab --source /dev/video0|URL --out frame.png [--frames N --out-video v.mp4]`.
struct CameraGrabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grab",
        abstract: "Grab the newest frame(s) of a live camera to a PNG (and a video).",
        discussion: """
        --source: a V4L2 device (/dev/video0) or a stream URL (rtsp://, http://, tcp://, udp://, rtmp://, srt://).
        Every open and read is limited by --timeout; a dead or stalled source fails with a typed error, never hangs.
        With --frames N, N consecutive new frames are grabbed; --out gets the last one, --out-video all of them.
        """)

    @Option(help: "V4L2 device path or stream URL.") var source: String
    @Option(help: "PNG file for the (last) grabbed frame.") var out: String
    @Option(help: "Number of consecutive frames to grab.") var frames: Int = 1
    @Option(help: "Video file for all grabbed frames (mp4: H.264; mkv: FFV1).") var outVideo: String?
    @Option(help: "Resize frames to this width (needs --height).") var width: Int?
    @Option(help: "Resize frames to this height (needs --width).") var height: Int?
    @Option(help: "Seconds any open, read or wait for a frame may take.") var timeout: Double = 5

    func validate() throws {
        guard frames >= 1 else { throw ValidationError("--frames: expected at least 1, got \(frames)") }
        guard (width == nil) == (height == nil) else { throw ValidationError("--width and --height go together") }
        if outVideo != nil && frames < 2 { throw ValidationError("--out-video: expected --frames of 2 or more, got \(frames)") }
    }

    func run() throws {
        let size = width.flatMap { w in height.map { (width: w, height: $0) } }
        let camera = try FFmpegCamera(source: source, outputSize: size, timeout: timeout)
        defer { camera.close() }
        let count = frames
        let started = Date()
        let grabbed = try runBlocking {
            var images: [RGBImage] = []
            for _ in 0..<count { images.append(try await camera.capture()) }
            return images
        }
        let seconds = Date().timeIntervalSince(started)
        guard let last = grabbed.last else { throw CLIError("internal: no frame grabbed") }
        try PNGImageWriter().write(last, to: out)
        if let outVideo {
            let rate = camera.frameFormat.framesPerSecond
            try FFmpegVideoWriter().writeSync(try VideoClip(frames: grabbed, framesPerSecond: rate), path: outVideo)
        }
        print("grabbed \(grabbed.count) frame(s) of \(camera.frameFormat.width)x\(camera.frameFormat.height) from \(source) "
              + "in \(String(format: "%.2f", seconds)) s; wrote \(out)" + (outVideo.map { " and \($0)" } ?? ""))
    }
}
