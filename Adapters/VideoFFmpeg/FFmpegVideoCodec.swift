/// The encoders the writer offers, each with its pixel format and usual container.
public enum FFmpegVideoCodec: String, Sendable, CaseIterable {
    /// H.264 (libx264), yuv420p, CRF 18, preset veryfast: small files for viewing (lossy; even sizes only).
    case h264
    /// Lossless H.264 in RGB (libx264rgb, rgb24, QP 0): bit-exact frames in an mp4, for data.
    case losslessRGB
    /// FFV1 (bgr0), lossless, in mkv (ffv1 cannot go in mp4).
    case ffv1
    /// MPEG-4 Part 2 (yuv420p, qscale 2), e.g. in avi.
    case mpeg4
    /// VP9 (libvpx-vp9, yuv420p, CRF 30), e.g. in webm.
    case vp9
    /// PNG images through FFmpeg's image2 muxer: the image-sequence fallback (`dir/frame_%05d.png`).
    case pngSequence

    /// FFmpeg's encoder name.
    var encoderName: String {
        switch self {
        case .h264: return "libx264"
        case .losslessRGB: return "libx264rgb"
        case .ffv1: return "ffv1"
        case .mpeg4: return "mpeg4"
        case .vp9: return "libvpx-vp9"
        case .pngSequence: return "png"
        }
    }

    /// The codec's pick for `path`'s extension: mp4 → H.264, mkv → FFV1, avi → MPEG-4, webm → VP9, png pattern → PNG.
    public static func forPath(_ path: String) -> FFmpegVideoCodec {
        let lower = path.lowercased()
        if lower.hasSuffix(".png") { return .pngSequence }
        if lower.hasSuffix(".mkv") { return .ffv1 }
        if lower.hasSuffix(".avi") { return .mpeg4 }
        if lower.hasSuffix(".webm") { return .vp9 }
        return .h264
    }
}
