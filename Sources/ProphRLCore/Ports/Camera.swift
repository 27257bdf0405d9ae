/// Port: a camera that delivers the robot's third-person view (a V4L2 device or network stream through
/// FFmpeg in deployment, a recorded video in tests).
///
/// ```swift
/// let frame = try await camera.capture()   // RGB24 at camera.frameFormat
/// ```
public protocol Camera: Sendable {
    /// The size and rate of the frames.
    var frameFormat: FrameFormat { get }

    /// The newest frame.
    func capture() async throws -> RGBImage
}
