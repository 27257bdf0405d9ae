import CAVCodec
import CAVFormat
import CAVUtil
import CSWScale
import Glibc
import ProphRLCore
import Synchronization

/// Encodes RGB24 frames one at a time into a video file, atomically: frames go to a temporary sibling that
/// replaces `path` only in ``finish()`` (after fsync), so a reader never sees a half-written video.
///
/// ```swift
/// let encoder = try FFmpegVideoEncoder(path: "out.mp4", width: 256, height: 256, framesPerSecond: 20, codec: .losslessRGB)
/// for frame in frames { try encoder.append(frame) }
/// try encoder.finish()
/// ```
public final class FFmpegVideoEncoder {
    /// The destination path (for ``FFmpegVideoCodec/pngSequence``, a pattern such as `dir/frame_%05d.png`).
    public let path: String
    /// Frame width.
    public let width: Int
    /// Frame height.
    public let height: Int
    /// The encoder in use.
    public let codec: FFmpegVideoCodec

    private let temporary: String
    private let temporaryDirectory: String?
    private var output: UnsafeMutablePointer<AVFormatContext>?
    private var context: UnsafeMutablePointer<AVCodecContext>?
    private var frame: UnsafeMutablePointer<AVFrame>?
    private var packet: UnsafeMutablePointer<AVPacket>?
    private var scaler: OpaquePointer?
    private let stream: UnsafeMutablePointer<AVStream>
    private var count: Int64 = 0
    private var done = false
    /// Distinguishes the temporary names of encoders running at the same time in one process.
    private static let serial = Atomic<Int>(0)

    /// Opens the encoder and the temporary output.
    /// - Parameters:
    ///   - codec: the encoder; by default chosen from the extension (``FFmpegVideoCodec/forPath(_:)``).
    ///   - threads: encoder threads (0 = FFmpeg's choice).
    /// - Throws: ``VideoIOError/codec(path:detail:)`` naming the file and FFmpeg's reason.
    public init(path: String, width: Int, height: Int, framesPerSecond: Double, codec: FFmpegVideoCodec? = nil,
                threads: Int = 0) throws {
        _ = FFmpegSupport.quiet
        self.path = path
        self.width = width
        self.height = height
        let codec = codec ?? FFmpegVideoCodec.forPath(path)
        self.codec = codec
        guard width > 0, height > 0 else {
            throw VideoIOError.codec(path: path, detail: "frame size must be positive, got \(width)x\(height)")
        }
        guard framesPerSecond.isFinite, framesPerSecond > 0 else {
            throw VideoIOError.codec(path: path, detail: "frame rate must be positive, got \(framesPerSecond)")
        }
        if codec == .h264 || codec == .mpeg4 || codec == .vp9, width % 2 != 0 || height % 2 != 0 {
            throw VideoIOError.codec(path: path, detail: "\(codec.rawValue) (yuv420p) needs an even frame size, got \(width)x\(height); use losslessRGB or ffv1")
        }
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        if codec == .pngSequence {
            guard path.contains("%") else {
                throw VideoIOError.codec(path: path, detail: "an image sequence needs a numbered pattern such as frame_%05d.png")
            }
            let tempDirectory = "\(directory)/.prophrl-frames-\(getpid())-\(Self.serial.add(1, ordering: .relaxed).oldValue)"
            guard mkdir(tempDirectory, 0o755) == 0 else {
                throw VideoIOError.codec(path: path, detail: "cannot create \(tempDirectory): \(FFmpegSupport.errnoText())")
            }
            temporaryDirectory = tempDirectory
            temporary = "\(tempDirectory)/\(name)"
        } else {
            temporaryDirectory = nil
            temporary = "\(directory)/.\(name).tmp-\(getpid())-\(Self.serial.add(1, ordering: .relaxed).oldValue)"
        }
        let formatName: String? = codec == .pngSequence ? "image2" : nil
        let guessed = formatName == nil ? av_guess_format(nil, path, nil) : nil
        var oc: UnsafeMutablePointer<AVFormatContext>?
        var status = avformat_alloc_output_context2(&oc, guessed, formatName, temporary)
        guard status >= 0, let oc else {
            Self.removeTemporaries(temporary, temporaryDirectory)
            throw FFmpegSupport.failure(path, "choosing a container for this extension", status)
        }
        output = oc
        guard let encoder = avcodec_find_encoder_by_name(codec.encoderName) else {
            avformat_free_context(oc); output = nil
            Self.removeTemporaries(temporary, temporaryDirectory)
            let hint = codec == .losslessRGB ? "; for lossless video use ffv1 with an .mkv path" : ""
            throw VideoIOError.codec(path: path, detail: "encoder \(codec.encoderName) is not in this FFmpeg build\(hint)")
        }
        guard let newStream = avformat_new_stream(oc, nil), let ctx = avcodec_alloc_context3(encoder) else {
            avformat_free_context(oc); output = nil
            Self.removeTemporaries(temporary, temporaryDirectory)
            throw VideoIOError.codec(path: path, detail: "out of memory creating the stream")
        }
        stream = newStream
        context = ctx
        let rate = av_d2q(framesPerSecond, 100_000)
        ctx.pointee.width = Int32(width)
        ctx.pointee.height = Int32(height)
        ctx.pointee.framerate = rate
        ctx.pointee.time_base = AVRational(num: rate.den, den: rate.num)
        ctx.pointee.pix_fmt = Self.pixelFormat(codec)
        ctx.pointee.thread_count = Int32(threads)
        ctx.pointee.gop_size = 12
        if codec == .mpeg4 {
            ctx.pointee.flags |= AV_CODEC_FLAG_QSCALE
            ctx.pointee.global_quality = 2 * 118   // qscale 2 (FF_QP2LAMBDA = 118)
        }
        if (oc.pointee.oformat.pointee.flags & AVFMT_GLOBALHEADER) != 0 {
            ctx.pointee.flags |= Int32(AV_CODEC_FLAG_GLOBAL_HEADER)
        }
        var options: OpaquePointer?
        for (key, value) in Self.options(codec) { av_dict_set(&options, key, value, 0) }
        status = avcodec_open2(ctx, encoder, &options)
        av_dict_free(&options)
        if status >= 0 { status = avcodec_parameters_from_context(newStream.pointee.codecpar, ctx) }
        newStream.pointee.time_base = ctx.pointee.time_base
        newStream.pointee.avg_frame_rate = rate
        if status >= 0 && (oc.pointee.oformat.pointee.flags & AVFMT_NOFILE) == 0 {
            status = avio_open(&oc.pointee.pb, temporary, AVIO_FLAG_WRITE)
        }
        if status >= 0 { status = avformat_write_header(oc, nil) }
        frame = av_frame_alloc()
        packet = av_packet_alloc()
        if status >= 0, let frame {
            frame.pointee.format = ctx.pointee.pix_fmt.rawValue
            frame.pointee.width = Int32(width)
            frame.pointee.height = Int32(height)
            status = av_frame_get_buffer(frame, 0)
        }
        if status < 0 {
            abandon()
            throw FFmpegSupport.failure(path, "opening the \(codec.encoderName) encoder", status)
        }
    }

    deinit { if !done { abandon() } }

    private static func pixelFormat(_ codec: FFmpegVideoCodec) -> AVPixelFormat {
        switch codec {
        case .h264, .mpeg4, .vp9: return AV_PIX_FMT_YUV420P
        case .losslessRGB, .pngSequence: return AV_PIX_FMT_RGB24
        case .ffv1: return AV_PIX_FMT_BGR0
        }
    }

    private static func options(_ codec: FFmpegVideoCodec) -> [(String, String)] {
        switch codec {
        case .h264: return [("crf", "18"), ("preset", "veryfast")]
        case .losslessRGB: return [("qp", "0"), ("preset", "veryfast")]
        case .vp9: return [("crf", "30"), ("b", "0"), ("deadline", "realtime"), ("cpu-used", "8")]
        case .ffv1, .mpeg4, .pngSequence: return []
        }
    }

    /// Encodes one frame (it must have the encoder's size).
    /// - Throws: ``VideoIOError/codec(path:detail:)`` for a wrong size or an encoder failure.
    public func append(_ image: RGBImage) throws {
        guard !done, let ctx = context, let frame else {
            throw VideoIOError.codec(path: path, detail: "the encoder is already finished")
        }
        guard image.width == width, image.height == height, image.pixels.count == width * height * 3 else {
            throw VideoIOError.codec(path: path, detail: "frame \(count) is \(image.width)x\(image.height), expected \(width)x\(height)")
        }
        var status = av_frame_make_writable(frame)
        if status < 0 { throw FFmpegSupport.failure(path, "allocating a frame", status) }
        scaler = sws_getCachedContext(scaler, Int32(width), Int32(height), AV_PIX_FMT_RGB24, Int32(width), Int32(height),
                                      ctx.pointee.pix_fmt, SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, nil, nil, nil)
        guard let scaler else { throw VideoIOError.codec(path: path, detail: "cannot convert RGB24 to the encoder's format") }
        image.pixels.withUnsafeBufferPointer { rgb in
            var source: [UnsafePointer<UInt8>?] = [rgb.baseAddress, nil, nil, nil]
            var stride: [Int32] = [Int32(width * 3), 0, 0, 0]
            _ = sws_scale(scaler, &source, &stride, 0, Int32(height), FFmpegSupport.planes(frame), FFmpegSupport.strides(frame))
        }
        frame.pointee.pts = count
        count += 1
        status = avcodec_send_frame(ctx, frame)
        if status < 0 { throw FFmpegSupport.failure(path, "encoding frame \(count - 1)", status) }
        try drain()
    }

    /// Flushes the encoder, writes the trailer, fsyncs and moves the file into place.
    /// - Throws: ``VideoIOError/codec(path:detail:)`` if no frame was written or a step fails.
    public func finish() throws {
        guard !done, let ctx = context, let oc = output else { return }
        guard count > 0 else {
            abandon()
            throw VideoIOError.codec(path: path, detail: "no frames to write")
        }
        var status = avcodec_send_frame(ctx, nil)
        if status < 0 { abandon(); throw FFmpegSupport.failure(path, "flushing the encoder", status) }
        do { try drain() } catch { abandon(); throw error }
        status = av_write_trailer(oc)
        if (oc.pointee.oformat.pointee.flags & AVFMT_NOFILE) == 0 { avio_closep(&oc.pointee.pb) }
        if status < 0 { abandon(); throw FFmpegSupport.failure(path, "writing the trailer", status) }
        release()
        done = true
        try commit()
    }

    private func drain() throws {
        guard let ctx = context, let packet, let oc = output else { return }
        while true {
            let status = avcodec_receive_packet(ctx, packet)
            if status == prophrl_averror_eagain() || status == prophrl_averror_eof() { return }
            if status < 0 { throw FFmpegSupport.failure(path, "receiving a packet", status) }
            av_packet_rescale_ts(packet, ctx.pointee.time_base, stream.pointee.time_base)
            packet.pointee.stream_index = stream.pointee.index
            let written = av_interleaved_write_frame(oc, packet)
            if written < 0 { throw FFmpegSupport.failure(path, "writing a packet", written) }
        }
    }

    /// fsync and rename the temporary file (or each image of the sequence) into place.
    private func commit() throws {
        var moves: [(String, String)] = []
        if let directory = temporaryDirectory {
            let slash = path.lastIndex(of: "/")
            let destination = slash.map { String(path[..<$0]) } ?? "."
            let pattern = slash.map { String(path[path.index(after: $0)...]) } ?? path
            // image2 numbers from 1, like `ffmpeg` does.
            for i in 1...Int(count) {
                let file = Self.format(pattern, i)
                moves.append(("\(directory)/\(file)", "\(destination)/\(file)"))
            }
        } else {
            moves.append((temporary, path))
        }
        for (from, to) in moves {
            let fd = open(from, O_RDONLY)
            let synced = fd >= 0 && fsync(fd) == 0
            if fd >= 0 { close(fd) }
            guard synced, rename(from, to) == 0 else {
                let detail = FFmpegSupport.errnoText()
                Self.removeTemporaries(temporary, temporaryDirectory)
                throw VideoIOError.codec(path: path, detail: "moving the finished file into place failed: \(detail)")
            }
        }
        if let directory = temporaryDirectory { rmdir(directory) }
    }

    /// `printf`-style expansion of the single `%d`/`%0Nd` in an image-sequence pattern.
    static func format(_ pattern: String, _ number: Int) -> String {
        guard let percent = pattern.firstIndex(of: "%"), let d = pattern[percent...].firstIndex(of: "d") else { return pattern }
        let widthText = pattern[pattern.index(after: percent)..<d]
        let digits = String(number)
        let pad = max(0, (Int(widthText) ?? 0) - digits.count)
        return String(pattern[..<percent]) + String(repeating: "0", count: pad) + digits + String(pattern[pattern.index(after: d)...])
    }

    private func release() {
        sws_freeContext(scaler); scaler = nil
        av_frame_free(&frame)
        av_packet_free(&packet)
        avcodec_free_context(&context)
        if let oc = output {
            if (oc.pointee.oformat.pointee.flags & AVFMT_NOFILE) == 0, oc.pointee.pb != nil { avio_closep(&oc.pointee.pb) }
            avformat_free_context(oc)
            output = nil
        }
    }

    /// Drops everything written so far; the destination is untouched.
    private func abandon() {
        release()
        done = true
        Self.removeTemporaries(temporary, temporaryDirectory)
    }

    private static func removeTemporaries(_ file: String, _ directory: String?) {
        guard let directory else { unlink(file); return }
        if let dir = opendir(directory) {
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name != "." && name != ".." { unlink("\(directory)/\(name)") }
            }
            closedir(dir)
        }
        rmdir(directory)
    }
}
