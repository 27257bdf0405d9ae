import Foundation
import ProphRLCore
import Synchronization

/// The ``Camera`` port over FFmpeg for live sources: a V4L2 device (`/dev/videoN`, through libavdevice) or a
/// network stream (`rtsp://`, `http://`, `tcp://`, `udp://`…). A background thread decodes continuously and
/// keeps only the newest frame, so ``capture()`` returns what the camera sees now, not a buffered old frame.
/// Every open, read and wait is limited by `timeout`: a dead or stalled source gives
/// ``CameraError/timedOut(source:step:seconds:)``, never a hang.
///
/// ```swift
/// let camera = try FFmpegCamera(source: "rtsp://10.0.0.5/stream", outputSize: (256, 256), timeout: 3)
/// let frame = try await camera.capture()
/// ```
public final class FFmpegCamera: Camera {
    /// The output frame size and the stream's frame rate (30 if the stream does not say).
    public let frameFormat: FrameFormat
    /// The device path or URL.
    public let source: String
    /// Seconds any open, read or wait for a new frame may take.
    public let timeout: Double

    /// The newest frame, its number, and how the reader ended.
    private struct Latest {
        var image: RGBImage?
        var sequence = 0
        var delivered = 0
        var end: CameraError?
        var finished = false
    }

    /// Shared by the reader thread (writes) and ``capture()`` (reads).
    private final class Slot: Sendable {
        let state = Mutex(Latest())
    }

    private let slot = Slot()
    private let deadline: StreamDeadline

    /// Opens `source` and starts decoding in the background.
    /// - Parameters:
    ///   - outputSize: resize every frame to this size (swscale bilinear); the source size if nil.
    ///   - timeout: seconds for each open/read step and for ``capture()`` to wait for a new frame.
    /// - Throws: ``CameraError`` naming the source and FFmpeg's reason.
    public init(source: String, outputSize: (width: Int, height: Int)? = nil, timeout: Double = 5) throws {
        let reader = try LiveStreamReader(source: source, outputSize: outputSize, timeout: timeout)
        self.source = source
        self.timeout = timeout
        deadline = reader.deadline
        frameFormat = FrameFormat(width: reader.width, height: reader.height, framesPerSecond: reader.framesPerSecond)
        let slot = slot
        let thread = Thread {
            reader.run(
                publish: { image in slot.state.withLock { $0.image = image; $0.sequence += 1 } },
                finish: { error in slot.state.withLock { $0.end = error; $0.finished = true } })
        }
        thread.name = "FFmpegCamera \(source)"
        thread.start()
    }

    /// Stops the background reader (it closes the source when its current call returns).
    deinit { deadline.stop() }

    /// Stops decoding; later ``capture()`` calls throw ``CameraError/ended(source:)``.
    public func close() { deadline.stop() }

    /// The newest frame that no earlier call returned, waiting up to `timeout` for one to arrive.
    /// - Throws: ``CameraError/timedOut(source:step:seconds:)`` if no new frame comes in time, or the reader's
    ///   error (``CameraError/ended(source:)`` at the end of a finite stream).
    public func capture() async throws -> RGBImage {
        let start = ContinuousClock.now
        while true {
            let state = slot.state.withLock { state -> (RGBImage?, CameraError?) in
                if let image = state.image, state.sequence > state.delivered {
                    state.delivered = state.sequence
                    return (image, nil)
                }
                if state.finished || deadline.isStopped { return (nil, state.end ?? .ended(source: source)) }
                return (nil, nil)
            }
            if let image = state.0 { return image }
            if let error = state.1 { throw error }
            if ContinuousClock.now - start > .seconds(timeout) {
                throw CameraError.timedOut(source: source, step: "waiting for a new frame", seconds: timeout)
            }
            try await Task.sleep(for: .milliseconds(2))
        }
    }
}
