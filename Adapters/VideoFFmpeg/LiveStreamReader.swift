import CAVCodec
import CAVDevice
import CAVFormat
import CAVUtil
import CSWScale
import Glibc
import ProphRLCore

/// Owns the FFmpeg demuxer, decoder and scaler of one live source (V4L2 device or network stream) and
/// decodes it on a background thread, handing each converted frame to `publish`. Every blocking FFmpeg
/// call runs under a ``StreamDeadline`` so a silent source turns into ``CameraError/timedOut(source:step:seconds:)``.
final class LiveStreamReader: @unchecked Sendable {
    // @unchecked: after init, the FFmpeg contexts are touched only by the reader thread (``run(publish:)``).
    let source: String
    private(set) var width = 0
    private(set) var height = 0
    private(set) var framesPerSecond = 30.0
    let deadline = StreamDeadline()
    private let timeout: Double
    private var format: UnsafeMutablePointer<AVFormatContext>?
    private var codec: UnsafeMutablePointer<AVCodecContext>?
    private var scaler: OpaquePointer?
    private var streamIndex: Int32 = -1

    /// The network schemes accepted as sources (FFmpeg protocols that can stream live video).
    static let networkSchemes = ["rtsp", "rtsps", "rtmp", "http", "https", "tcp", "udp", "rtp", "srt"]
    private static let registerDevices: Void = { avdevice_register_all() }()

    /// Opens `source` and its best video stream, each step limited to `timeout` seconds.
    init(source: String, outputSize: (width: Int, height: Int)?, timeout: Double) throws {
        _ = FFmpegSupport.quiet
        _ = Self.registerDevices
        self.source = source
        self.timeout = timeout
        guard timeout.isFinite, timeout > 0 else {
            throw CameraError.invalidArgument(source: source, detail: "timeout must be a positive number of seconds, got \(timeout)")
        }
        if let size = outputSize, size.width < 1 || size.height < 1 {
            throw CameraError.invalidArgument(source: source, detail: "output size must be positive, got \(size.width)x\(size.height)")
        }
        var inputFormat: UnsafePointer<AVInputFormat>?
        if source.hasPrefix("/dev/") {
            guard FFmpegSupport.exists(source) else { throw CameraError.notFound(source: source) }
            inputFormat = av_find_input_format("v4l2")
            guard inputFormat != nil else {
                throw CameraError.unavailable(source: source, reason: "this FFmpeg build has no v4l2 input device")
            }
        } else {
            let scheme = source.split(separator: ":", maxSplits: 1).first.map { $0.lowercased() } ?? ""
            guard source.contains("://"), Self.networkSchemes.contains(scheme) else {
                throw CameraError.invalidArgument(
                    source: source,
                    detail: "expected a V4L2 device (/dev/videoN) or a stream URL (\(Self.networkSchemes.joined(separator: ", "))), got '\(source)'")
            }
        }
        guard var ic = avformat_alloc_context() else { throw CameraError.unavailable(source: source, reason: "out of memory") }
        ic.pointee.interrupt_callback = AVIOInterruptCB(
            callback: { opaque in
                guard let opaque else { return 0 }
                return Unmanaged<StreamDeadline>.fromOpaque(opaque).takeUnretainedValue().shouldInterrupt ? 1 : 0
            },
            opaque: Unmanaged.passUnretained(deadline).toOpaque())
        if inputFormat != nil {
            // V4L2 dequeues frames with a blocking ioctl that never polls the interrupt callback: open the device
            // non-blocking and let the reader retry EAGAIN against the deadline instead.
            ic.pointee.flags |= AVFMT_FLAG_NONBLOCK
        }
        var options: OpaquePointer?
        // No "fflags nobuffer": it would drop the packets read while probing; the reader drains them at once anyway.
        av_dict_set(&options, "protocol_whitelist", "tcp,udp,rtp,rtsp,rtmp,http,https,tls,crypto,httpproxy,srt,file", 0)
        deadline.arm(seconds: timeout)
        var opened: UnsafeMutablePointer<AVFormatContext>? = ic
        var status = avformat_open_input(&opened, source, inputFormat, &options)
        av_dict_free(&options)
        // On failure avformat_open_input frees the context itself.
        guard status >= 0, let openedContext = opened else { throw failure("opening the source", status) }
        ic = openedContext
        format = ic
        deadline.arm(seconds: timeout)
        status = avformat_find_stream_info(ic, nil)
        if status < 0 { let error = failure("reading stream information", status); release(); throw error }
        var decoderCodec: UnsafePointer<AVCodec>?
        let index = av_find_best_stream(ic, AVMEDIA_TYPE_VIDEO, -1, -1, &decoderCodec, 0)
        guard index >= 0, let decoderCodec, let stream = ic.pointee.streams[Int(index)] else {
            release()
            throw CameraError.unavailable(source: source, reason: "no decodable video stream (\(FFmpegSupport.message(index)))")
        }
        streamIndex = index
        codec = avcodec_alloc_context3(decoderCodec)
        status = avcodec_parameters_to_context(codec, stream.pointee.codecpar)
        if status >= 0 {
            // One thread and low-delay: frame threading would hold frames back by the thread count.
            codec?.pointee.thread_count = 1
            codec?.pointee.flags |= Int32(AV_CODEC_FLAG_LOW_DELAY)
            status = avcodec_open2(codec, decoderCodec, nil)
        }
        if status < 0 { let error = failure("opening the decoder", status); release(); throw error }
        let sourceWidth = Int(stream.pointee.codecpar.pointee.width), sourceHeight = Int(stream.pointee.codecpar.pointee.height)
        guard sourceWidth > 0, sourceHeight > 0 else {
            release()
            throw CameraError.unavailable(source: source, reason: "the video stream has no frame size")
        }
        width = outputSize?.width ?? sourceWidth
        height = outputSize?.height ?? sourceHeight
        let rate = stream.pointee.avg_frame_rate.num > 0 ? stream.pointee.avg_frame_rate : stream.pointee.r_frame_rate
        framesPerSecond = rate.num > 0 && rate.den > 0 ? Double(rate.num) / Double(rate.den) : 30
    }

    deinit { release() }

    private func release() {
        sws_freeContext(scaler)
        scaler = nil
        avcodec_free_context(&codec)
        if format != nil { avformat_close_input(&format) }
    }

    /// The typed error for a failed FFmpeg call: a timeout when the deadline cut it short.
    private func failure(_ step: String, _ code: Int32) -> CameraError {
        if code == prophrl_averror_exit() || code == prophrl_averror_etimedout() {
            if deadline.hasExpired || code == prophrl_averror_etimedout() {
                return .timedOut(source: source, step: step, seconds: timeout)
            }
            return .ended(source: source)
        }
        if code == prophrl_averror_enoent() { return .notFound(source: source) }
        return .unavailable(source: source, reason: "\(step) failed: \(FFmpegSupport.message(code)) (FFmpeg error \(code))")
    }

    /// Reads and decodes until the stream ends, fails or ``StreamDeadline/stop()`` is called; every frame goes to
    /// `publish`, and the way it ended goes to `finish` (nil when stopped).
    func run(publish: (RGBImage) -> Void, finish: (CameraError?) -> Void) {
        guard let format, let codec, let packet = av_packet_alloc() else {
            finish(.unavailable(source: source, reason: "out of memory")); return
        }
        var frame = av_frame_alloc()
        var packetSlot: UnsafeMutablePointer<AVPacket>? = packet
        defer { av_frame_free(&frame); av_packet_free(&packetSlot); release() }
        guard let frame else { finish(.unavailable(source: source, reason: "out of memory")); return }
        while !deadline.isStopped {
            deadline.arm(seconds: timeout)
            var read = av_read_frame(format, packet)
            // A non-blocking device with no frame ready yet: retry until the deadline.
            while read == prophrl_averror_eagain() && !deadline.shouldInterrupt {
                usleep(1_000)
                read = av_read_frame(format, packet)
            }
            if deadline.isStopped { finish(nil); return }
            if read == prophrl_averror_eagain() { finish(.timedOut(source: source, step: "reading a frame", seconds: timeout)); return }
            if read == prophrl_averror_eof() {
                _ = avcodec_send_packet(codec, nil)
                drain(codec, frame, publish: publish)
                finish(.ended(source: source)); return
            }
            if read < 0 { finish(failure("reading a packet", read)); return }
            if packet.pointee.stream_index == streamIndex { _ = avcodec_send_packet(codec, packet) }
            av_packet_unref(packet)
            if let error = drain(codec, frame, publish: publish) { finish(error); return }
        }
        finish(nil)
    }

    /// Receives every frame the decoder has ready and publishes it.
    @discardableResult
    private func drain(_ codec: UnsafeMutablePointer<AVCodecContext>, _ frame: UnsafeMutablePointer<AVFrame>,
                       publish: (RGBImage) -> Void) -> CameraError? {
        while avcodec_receive_frame(codec, frame) == 0 {
            defer { av_frame_unref(frame) }
            do { publish(try convert(frame)) } catch let error as CameraError { return error } catch {
                return .unavailable(source: source, reason: "\(error)")
            }
        }
        return nil
    }

    /// Converts a decoded frame to RGB24 at the output size (swscale bilinear: a live preview, not model data).
    private func convert(_ frame: UnsafeMutablePointer<AVFrame>) throws -> RGBImage {
        let sw = frame.pointee.width, sh = frame.pointee.height
        scaler = sws_getCachedContext(scaler, sw, sh, AVPixelFormat(frame.pointee.format), Int32(width), Int32(height),
                                      AV_PIX_FMT_RGB24, SWS_BILINEAR | SWS_ACCURATE_RND, nil, nil, nil)
        guard let scaler else {
            throw CameraError.unavailable(source: source, reason: "cannot convert pixel format \(frame.pointee.format) to RGB24")
        }
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        let rows = pixels.withUnsafeMutableBufferPointer { out -> Int32 in
            var destination: [UnsafeMutablePointer<UInt8>?] = [out.baseAddress, nil, nil, nil]
            var stride: [Int32] = [Int32(width * 3), 0, 0, 0]
            return FFmpegSupport.planes(frame).withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { planes in
                sws_scale(scaler, planes, FFmpegSupport.strides(frame), 0, sh, &destination, &stride)
            }
        }
        if rows <= 0 { throw CameraError.unavailable(source: source, reason: "pixel conversion to RGB24 failed") }
        return try RGBImage(width: width, height: height, pixels: pixels)
    }
}
