import Foundation
import ProphRLCore
import Testing
import VideoFFmpeg

/// The live camera over a local TCP stream: newest-frame delivery, resize, and typed errors (with bounded
/// time) for a stalled stream, a silent server, a refused port, a missing device and a bad source.
@Suite(.serialized) final class FFmpegCameraTests {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "prophrl-camera-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// `count` uniform frames whose grey level encodes their index (10 * t + 20), as FFV1 in Matroska bytes.
    func streamBytes(count: Int, width: Int = 32, height: Int = 24) throws -> [UInt8] {
        var frames: [RGBImage] = []
        for t in 0..<count {
            let grey = UInt8(10 * t + 20)
            frames.append(try RGBImage(width: width, height: height, fill: (grey, grey, grey)))
        }
        let path = "\(directory)/stream.mkv"
        try FFmpegVideoWriter(codec: .ffv1).writeSync(try VideoClip(frames: frames, framesPerSecond: 25), path: path)
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }

    @Test func deliversTheNewestFrameThenTimesOutOnAStalledStream() async throws {
        let server = try LocalStreamServer(payload: try streamBytes(count: 12), hold: 4)
        let camera = try FFmpegCamera(source: "tcp://127.0.0.1:\(server.port)", timeout: 1)
        #expect(camera.frameFormat.width == 32 && camera.frameFormat.height == 24)
        #expect(abs(camera.frameFormat.framesPerSecond - 25) < 1e-6)
        // The whole stream arrives at once; after a pause the camera must hand out the last frame, not the first.
        try await Task.sleep(for: .milliseconds(400))
        let frame = try await camera.capture()
        #expect(frame.width == 32 && frame.height == 24)
        #expect(abs(Int(frame[5, 5].0) - (10 * 11 + 20)) <= 2, "newest frame expected, got grey \(frame[5, 5].0)")
        // Nothing new arrives (the server stalls): a typed timeout (the reader's, 1 s after the last packet, or the
        // wait's, 1 s after this call), not a hang.
        let start = ContinuousClock.now
        do {
            _ = try await camera.capture()
            Issue.record("a stalled stream must time out")
        } catch let error as CameraError {
            guard case .timedOut(_, _, let seconds) = error else { Issue.record("expected a timeout, got \(error)"); return }
            #expect(seconds == 1)
        }
        let waited = Self.seconds(since: start)
        #expect(waited < 3, "waited \(waited) s (limit 1 s; slack for a loaded machine)")
        camera.close()
    }

    @Test func resizesAndReportsTheEndOfAFiniteStream() async throws {
        let server = try LocalStreamServer(payload: try streamBytes(count: 6), hold: 0)
        let camera = try FFmpegCamera(source: "tcp://127.0.0.1:\(server.port)", outputSize: (16, 12), timeout: 2)
        #expect(camera.frameFormat.width == 16 && camera.frameFormat.height == 12)
        try await Task.sleep(for: .milliseconds(400))
        let frame = try await camera.capture()
        #expect(frame.width == 16 && frame.height == 12)
        #expect(abs(Int(frame[3, 3].1) - (10 * 5 + 20)) <= 2)
        do {
            _ = try await camera.capture()
            Issue.record("a finished stream must report its end")
        } catch let error as CameraError {
            #expect(error == .ended(source: "tcp://127.0.0.1:\(server.port)"))
        }
    }

    @Test func aSilentServerTimesOutWhileOpening() throws {
        let server = try LocalStreamServer(payload: [], hold: 5)
        let start = ContinuousClock.now
        do {
            _ = try FFmpegCamera(source: "tcp://127.0.0.1:\(server.port)", timeout: 0.5)
            Issue.record("opening a silent stream must fail")
        } catch let error as CameraError {
            guard case .timedOut(let source, _, let seconds) = error else { Issue.record("expected a timeout, got \(error)"); return }
            #expect(source.hasSuffix(":\(server.port)") && seconds == 0.5)
        }
        let waited = Self.seconds(since: start)
        #expect(waited < 3, "gave up after \(waited) s (limit 0.5 s; slack for a loaded machine)")
    }

    @Test func aRefusedPortGivesFFmpegsReason() throws {
        let port = LocalStreamServer.refusedPort()
        let start = ContinuousClock.now
        do {
            _ = try FFmpegCamera(source: "tcp://127.0.0.1:\(port)", timeout: 2)
            Issue.record("a refused connection must fail")
        } catch let error as CameraError {
            guard case .unavailable(let source, let reason) = error else { Issue.record("expected unavailable, got \(error)"); return }
            #expect(source == "tcp://127.0.0.1:\(port)")
            #expect(reason.lowercased().contains("refused"), "reason: \(reason)")
        }
        #expect(Self.seconds(since: start) < 2.0)
    }

    @Test func aMissingDeviceAndABadSourceAreTypedErrors() throws {
        #expect(throws: CameraError.notFound(source: "/dev/video9")) { _ = try FFmpegCamera(source: "/dev/video9") }
        #expect(throws: CameraError.self) { _ = try FFmpegCamera(source: "clip.mp4") }
        #expect(throws: CameraError.self) { _ = try FFmpegCamera(source: "tcp://127.0.0.1:1", timeout: 0) }
        #expect(throws: CameraError.self) { _ = try FFmpegCamera(source: "tcp://127.0.0.1:1", outputSize: (0, 4)) }
    }
}
