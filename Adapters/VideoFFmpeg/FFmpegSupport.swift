import CAVCodec
import CAVFormat
import CAVUtil
import Glibc
import ProphRLCore

/// Small helpers shared by the FFmpeg decoder and encoder: error text, log level, the plane-array rebind.
enum FFmpegSupport {
    /// FFmpeg's text for an error code (`av_strerror`), e.g. "Invalid data found when processing input".
    static func message(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        av_strerror(code, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A ``VideoIOError/codec(path:detail:)`` for a failed FFmpeg call.
    static func failure(_ path: String, _ step: String, _ code: Int32) -> VideoIOError {
        .codec(path: path, detail: "\(step) failed: \(message(code)) (FFmpeg error \(code))")
    }

    /// Silences FFmpeg's own logging once (errors are reported through typed errors instead).
    static let quiet: Void = { av_log_set_level(AV_LOG_FATAL) }()

    /// Whether a regular file or directory exists at `path`.
    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// The `data` tuple of a frame as a pointer to its first element (what `sws_scale` takes).
    static func planes(_ frame: UnsafeMutablePointer<AVFrame>) -> UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?> {
        UnsafeMutableRawPointer(frame).advanced(by: MemoryLayout<AVFrame>.offset(of: \AVFrame.data)!)
            .assumingMemoryBound(to: UnsafeMutablePointer<UInt8>?.self)
    }

    /// The `linesize` tuple of a frame as a pointer to its first element.
    static func strides(_ frame: UnsafeMutablePointer<AVFrame>) -> UnsafeMutablePointer<Int32> {
        UnsafeMutableRawPointer(frame).advanced(by: MemoryLayout<AVFrame>.offset(of: \AVFrame.linesize)!)
            .assumingMemoryBound(to: Int32.self)
    }

    /// The size in bytes of the file at `path`, or nil if it cannot be read.
    static func fileSize(_ path: String) -> Int? {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : nil
    }

    /// Whether `path` is a regular file (not a directory, FIFO, socket or device).
    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// `errno` as text.
    static func errnoText() -> String { String(cString: strerror(errno)) }
}
