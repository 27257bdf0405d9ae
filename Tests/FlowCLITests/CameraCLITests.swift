import Foundation
import PNGImage
import ProphRLCore
import Testing
import VideoFFmpeg

/// `prophrl camera grab` as a user runs it, against a video served over HTTP by Python's http.server.
@Suite(.serialized) final class CameraCLITests {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "prophrl-cameracli-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// A free local TCP port (bound to port 0, read back, released).
    static func freePort() -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 ? getsockname(fd, $0, &length) : -1 }
        }
        return UInt16(bigEndian: address.sin_port)
    }

    /// Whether something accepts connections on `port`.
    static func isListening(_ port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// Starts `python3 -m http.server` serving `directory`; nil if it does not listen within 5 s (no python3).
    func startServer() throws -> (Process, UInt16)? {
        let port = Self.freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", "http.server", "\(port)", "--bind", "127.0.0.1", "--directory", directory]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<500 {
            if Self.isListening(port) { return (process, port) }
            if !process.isRunning { return nil }
            usleep(10_000)
        }
        kill(process.processIdentifier, SIGKILL)
        return nil
    }

    @Test func grabsTheNewestFrameOverHTTPAndNamesFailures() throws {
        var frames: [RGBImage] = []
        for t in 0..<10 {
            let grey = UInt8(20 * t + 10)
            frames.append(try RGBImage(width: 24, height: 16, fill: (grey, grey, grey)))
        }
        try FFmpegVideoWriter(codec: .ffv1).writeSync(try VideoClip(frames: frames, framesPerSecond: 10), path: "\(directory)/clip.mkv")
        guard let (server, port) = try startServer() else { print("skipped: python3 not found"); return }
        // SIGKILL: the child may inherit a signal mask that blocks SIGTERM from the test runner's threads.
        defer { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() }
        let png = "\(directory)/frame.png"
        let result = try FlowCLITests.run(["camera", "grab", "--source", "http://127.0.0.1:\(port)/clip.mkv", "--out", png,
                                           "--width", "12", "--height", "8", "--timeout", "3"])
        try #require(result.status == 0, "\(result.output)")
        let grabbed = try PNGImageReader().read(png)
        #expect(grabbed.width == 12 && grabbed.height == 8)
        // One of the clip's frames (which one depends on how far the reader got; FFmpegCameraTests checks newest-first).
        let grey = Int(grabbed[6, 4].0)
        #expect((0..<10).contains { abs(grey - (20 * $0 + 10)) <= 2 }, "grey \(grey)")
        // A finite file is not a live camera: 50 new frames cannot come from 10; the end of the stream is typed.
        let more = try FlowCLITests.run(["camera", "grab", "--source", "http://127.0.0.1:\(port)/clip.mkv", "--out", png,
                                         "--frames", "50", "--out-video", "\(directory)/v.mkv", "--timeout", "3"])
        #expect(more.status != 0 && more.output.contains("the stream ended"), "\(more.output)")

        let missing = try FlowCLITests.run(["camera", "grab", "--source", "/dev/video9", "--out", png])
        #expect(missing.status != 0 && missing.output.contains("camera '/dev/video9' not found"), "\(missing.output)")
        let notFound = try FlowCLITests.run(["camera", "grab", "--source", "http://127.0.0.1:\(port)/none.mkv", "--out", png])
        #expect(notFound.status != 0 && notFound.output.contains("404"), "\(notFound.output)")
    }
}
