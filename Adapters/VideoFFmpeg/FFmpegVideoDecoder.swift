import CAVCodec
import CAVFormat
import CAVUtil
import CSWScale
import ProphRLCore

/// Streams the frames of a video file (any container and codec FFmpeg reads: mp4, mkv, avi, webm, an
/// image-sequence pattern like `frames/%05d.png`…) as RGB24, one frame at a time, optionally resized.
///
/// ```swift
/// let decoder = try FFmpegVideoDecoder(path: "real.mp4", outputSize: (256, 256))
/// while let frame = try decoder.nextFrame() { use(frame.image, frame.timestamp) }
/// ```
public final class FFmpegVideoDecoder {
    /// One decoded frame and its presentation time in seconds (nil if the file has none).
    public struct Frame: Sendable {
        /// The frame as RGB24 at the output size.
        public let image: RGBImage
        /// Presentation timestamp in seconds.
        public let timestamp: Double?
    }

    /// The file being read.
    public let path: String
    /// Output width (the source width unless resized).
    public let width: Int
    /// Output height.
    public let height: Int
    /// The stream's average frame rate (frames per second); 0 if the file does not say.
    public let framesPerSecond: Double
    /// FFmpeg's name of the video codec (e.g. "h264", "vp9", "ffv1").
    public let codecName: String

    private var format: UnsafeMutablePointer<AVFormatContext>?
    private var codec: UnsafeMutablePointer<AVCodecContext>?
    private var packet: UnsafeMutablePointer<AVPacket>?
    private var frame: UnsafeMutablePointer<AVFrame>?
    private var scaler: OpaquePointer?
    private let streamIndex: Int32
    private let timeBase: Double
    private var draining = false
    private var finished = false
    private var decodedCount = 0

    /// Opens `path` and its best video stream.
    /// - Parameters:
    ///   - outputSize: resize every frame to this size (OpenCV-exact area averaging in RGB when shrinking both
    ///     sides, swscale bicubic otherwise).
    ///   - threads: decoder threads (0 = FFmpeg's choice).
    /// - Throws: ``VideoIOError/notFound(path:)`` or ``VideoIOError/codec(path:detail:)`` with FFmpeg's reason.
    public init(path: String, outputSize: (width: Int, height: Int)? = nil, threads: Int = 0) throws {
        _ = FFmpegSupport.quiet
        self.path = path
        let isPattern = path.contains("%")
        if !isPattern && !FFmpegSupport.exists(path) { throw VideoIOError.notFound(path: path) }
        // Only regular files: a FIFO or device would block in avformat_open_input.
        if !isPattern && !FFmpegSupport.isRegularFile(path) {
            throw VideoIOError.codec(path: path, detail: "not a regular file")
        }
        if !isPattern && FFmpegSupport.fileSize(path) == 0 {
            throw VideoIOError.codec(path: path, detail: "the file is empty (0 bytes)")
        }
        if let size = outputSize, size.width < 1 || size.height < 1 {
            throw VideoIOError.codec(path: path, detail: "output size must be positive, got \(size.width)x\(size.height)")
        }
        var ic: UnsafeMutablePointer<AVFormatContext>?
        // Local files only: no network protocol can make a read wait on a remote end.
        var options: OpaquePointer?
        av_dict_set(&options, "protocol_whitelist", "file", 0)
        var status = avformat_open_input(&ic, path, nil, &options)
        av_dict_free(&options)
        guard status >= 0, let ic else {
            if isPattern && status == -ENOENT { throw VideoIOError.notFound(path: path) }
            throw FFmpegSupport.failure(path, "opening the file", status)
        }
        format = ic
        status = avformat_find_stream_info(ic, nil)
        if status < 0 { Self.release(&format); throw FFmpegSupport.failure(path, "reading stream information", status) }
        var decoderCodec: UnsafePointer<AVCodec>?
        let index = av_find_best_stream(ic, AVMEDIA_TYPE_VIDEO, -1, -1, &decoderCodec, 0)
        guard index >= 0, let decoderCodec, let stream = ic.pointee.streams[Int(index)] else {
            Self.release(&format)
            if index == prophrl_averror_decoder_not_found() {
                throw VideoIOError.codec(path: path, detail: "unsupported video codec (no decoder in this FFmpeg build)")
            }
            throw VideoIOError.codec(path: path, detail: "no video stream (\(FFmpegSupport.message(index)))")
        }
        streamIndex = index
        let context = avcodec_alloc_context3(decoderCodec)
        codec = context
        status = avcodec_parameters_to_context(context, stream.pointee.codecpar)
        if status >= 0 {
            context?.pointee.thread_count = Int32(threads)
            status = avcodec_open2(context, decoderCodec, nil)
        }
        if status < 0 {
            avcodec_free_context(&codec); Self.release(&format)
            throw FFmpegSupport.failure(path, "opening the decoder", status)
        }
        let sourceWidth = Int(stream.pointee.codecpar.pointee.width), sourceHeight = Int(stream.pointee.codecpar.pointee.height)
        guard sourceWidth > 0, sourceHeight > 0 else {
            avcodec_free_context(&codec); Self.release(&format)
            throw VideoIOError.codec(path: path, detail: "the video stream has no frame size")
        }
        width = outputSize?.width ?? sourceWidth
        height = outputSize?.height ?? sourceHeight
        let rate = stream.pointee.avg_frame_rate.num > 0 ? stream.pointee.avg_frame_rate : stream.pointee.r_frame_rate
        framesPerSecond = rate.num > 0 && rate.den > 0 ? Double(rate.num) / Double(rate.den) : 0
        timeBase = Double(stream.pointee.time_base.num) / Double(max(stream.pointee.time_base.den, 1))
        codecName = String(cString: decoderCodec.pointee.name)
        packet = av_packet_alloc()
        frame = av_frame_alloc()
    }

    deinit {
        sws_freeContext(scaler)
        av_frame_free(&frame)
        av_packet_free(&packet)
        avcodec_free_context(&codec)
        Self.release(&format)
    }

    private static func release(_ format: inout UnsafeMutablePointer<AVFormatContext>?) {
        if format != nil { avformat_close_input(&format) }
    }

    /// The next frame, or nil at the end of the stream.
    /// - Throws: ``VideoIOError/codec(path:detail:)`` for corrupt or truncated data, or a file with no frame at all.
    public func nextFrame() throws -> Frame? {
        guard !finished, let codec, let packet, let frame, let format else { return nil }
        while true {
            let received = avcodec_receive_frame(codec, frame)
            if received == 0 {
                decodedCount += 1
                defer { av_frame_unref(frame) }
                return try convert(frame)
            }
            if received == prophrl_averror_eof() {
                finished = true
                if decodedCount == 0 { throw VideoIOError.codec(path: path, detail: "no video frame could be decoded (empty or truncated file)") }
                return nil
            }
            if received != prophrl_averror_eagain() { throw FFmpegSupport.failure(path, "decoding a frame", received) }
            if draining { finished = true; return nil }
            let read = av_read_frame(format, packet)
            if read == prophrl_averror_eof() {
                draining = true
                let flushed = avcodec_send_packet(codec, nil)
                if flushed < 0 && flushed != prophrl_averror_eof() { throw FFmpegSupport.failure(path, "flushing the decoder", flushed) }
                continue
            }
            if read < 0 { throw FFmpegSupport.failure(path, "reading a packet", read) }
            defer { av_packet_unref(packet) }
            guard packet.pointee.stream_index == streamIndex else { continue }
            let sent = avcodec_send_packet(codec, packet)
            if sent < 0 && sent != prophrl_averror_eagain() { throw FFmpegSupport.failure(path, "decoding a packet", sent) }
        }
    }

    /// Every remaining frame.
    /// - Throws: as ``nextFrame()``.
    public func readAll() throws -> [Frame] {
        var frames: [Frame] = []
        while let next = try nextFrame() { frames.append(next) }
        return frames
    }

    private func convert(_ frame: UnsafeMutablePointer<AVFrame>) throws -> Frame {
        let sw = frame.pointee.width, sh = frame.pointee.height
        // Shrinking in both directions: convert at full size, then average areas in RGB exactly as OpenCV's
        // INTER_AREA (flow-eval.md §1). Anything else (enlarging, mixed): swscale's bicubic filter.
        let areaAverage = width <= Int(sw) && height <= Int(sh) && (width < Int(sw) || height < Int(sh))
        let (cw, ch) = areaAverage ? (Int(sw), Int(sh)) : (width, height)
        let flags = SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT
        scaler = sws_getCachedContext(scaler, sw, sh, AVPixelFormat(frame.pointee.format), Int32(cw), Int32(ch),
                                      AV_PIX_FMT_RGB24, flags, nil, nil, nil)
        guard let scaler else {
            throw VideoIOError.codec(path: path, detail: "cannot convert pixel format \(frame.pointee.format) to RGB24")
        }
        var pixels = [UInt8](repeating: 0, count: cw * ch * 3)
        let rows = pixels.withUnsafeMutableBufferPointer { out -> Int32 in
            var destination: [UnsafeMutablePointer<UInt8>?] = [out.baseAddress, nil, nil, nil]
            var stride: [Int32] = [Int32(cw * 3), 0, 0, 0]
            return FFmpegSupport.planes(frame).withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { source in
                sws_scale(scaler, source, FFmpegSupport.strides(frame), 0, sh, &destination, &stride)
            }
        }
        if rows <= 0 { throw VideoIOError.codec(path: path, detail: "pixel conversion to RGB24 failed") }
        let pts = frame.pointee.best_effort_timestamp
        let converted = try RGBImage(width: cw, height: ch, pixels: pixels)
        let image = areaAverage ? try AreaResampler.resize(converted, width: width, height: height) : converted
        return Frame(image: image, timestamp: pts == prophrl_av_nopts_value() ? nil : Double(pts) * timeBase)
    }
}
