import Foundation
import ProphRLCore
import ProphRLTesting
import Testing
import VideoFFmpeg

/// Round trips through every codec, resize on read, timestamps, atomic writes, and typed errors for
/// missing, empty, corrupt, truncated and unsupported files. Serialized: FFmpeg's log level is process-global.
@Suite(.serialized) final class VideoFFmpegTests {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "prophrl-video-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// A moving smooth gradient with a hard-edged square (the engineering.md round-trip clip).
    static func clip(frames: Int = 12, width: Int = 64, height: Int = 48, fps: Double = 20) throws -> VideoClip {
        var images: [RGBImage] = []
        for t in 0..<frames {
            var image = try RGBImage(width: width, height: height)
            for y in 0..<height {
                for x in 0..<width {
                    var c = (UInt8((x * 4 + t * 3) % 256), UInt8((y * 5 + t) % 256), UInt8((x + y + 40) % 256))
                    if (10 + t)..<(26 + t) ~= x && 12..<28 ~= y { c = (230, 40, 30) }
                    image[x, y] = c
                }
            }
            images.append(image)
        }
        return try VideoClip(frames: images, framesPerSecond: fps)
    }

    static func meanAbsoluteError(_ a: VideoClip, _ b: VideoClip) -> Double {
        var sum = 0.0, n = 0.0
        for (p, q) in zip(a.frames, b.frames) {
            for (u, v) in zip(p.pixels, q.pixels) { sum += abs(Double(u) - Double(v)); n += 1 }
        }
        return sum / n
    }

    @Test(arguments: [(FFmpegVideoCodec.losslessRGB, "mp4"), (.ffv1, "mkv"), (.pngSequence, "png")])
    func losslessRoundTripIsExact(codec: FFmpegVideoCodec, ext: String) throws {
        let clip = try Self.clip()
        let path = ext == "png" ? "\(directory)/frame_%04d.png" : "\(directory)/lossless.\(ext)"
        try FFmpegVideoWriter(codec: codec).writeSync(clip, path: path)
        let back = try FFmpegVideoReader().readSync(path: path)
        #expect(back.frames.count == clip.frames.count)
        #expect(back.frames == clip.frames, "\(codec) must be bit-exact")
        if codec != .pngSequence { #expect(abs(back.framesPerSecond - 20) < 1e-9) }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "no temporary files remain: \(leftovers)")
    }

    /// Lossy codecs: the bound is the engineering.md measurement for this kind of clip (mean abs error ≈ 3).
    @Test(arguments: [(FFmpegVideoCodec.h264, "mp4", 4.0), (.mpeg4, "avi", 4.0), (.vp9, "webm", 6.0)])
    func lossyRoundTripIsWithinBound(codec: FFmpegVideoCodec, ext: String, bound: Double) async throws {
        let clip = try Self.clip(width: 64, height: 48)
        let path = "\(directory)/lossy.\(ext)"
        try await PortContracts.checkVideoRoundTrip(writer: FFmpegVideoWriter(codec: codec), reader: FFmpegVideoReader(),
                                                    clip: clip, path: path, missingPath: "\(directory)/none.\(ext)",
                                                    tolerance: bound)
        let back = try FFmpegVideoReader().readSync(path: path)
        let error = Self.meanAbsoluteError(back, clip)
        print("round trip \(codec) in .\(ext): mean abs error \(error)")
        #expect(error > 0 && error <= bound)
        #expect(abs(back.framesPerSecond - 20) < 1e-6)
    }

    @Test func streamsFramesWithTimestampsAndResizes() throws {
        let clip = try Self.clip(frames: 10, width: 64, height: 48, fps: 25)
        let path = "\(directory)/stream.mkv"
        try FFmpegVideoWriter(codec: .ffv1).writeSync(clip, path: path)
        let decoder = try FFmpegVideoDecoder(path: path, outputSize: (32, 24))
        #expect(decoder.codecName == "ffv1" && decoder.width == 32 && decoder.height == 24)
        var index = 0
        while let frame = try decoder.nextFrame() {
            #expect(frame.image.width == 32 && frame.image.height == 24)
            #expect(abs((frame.timestamp ?? -1) - Double(index) / 25) < 1e-3, "frame \(index) at \(String(describing: frame.timestamp))")
            // Area averaging of an exact 2× reduction of a lossless RGB source: the rounded 2×2 mean, exactly.
            #expect(frame.image == (try AreaResampler.resize(clip.frames[index], width: 32, height: 24)))
            let (x, y) = (5, 20)
            let sum = (0..<4).map { Int(clip.frames[index][2 * x + $0 % 2, 2 * y + $0 / 2].r) }.reduce(0, +)
            #expect(Int(frame.image[x, y].r) == (sum + 2) >> 2)
            index += 1
        }
        #expect(index == 10)
        #expect(try decoder.nextFrame() == nil, "stays at the end")
    }

    @Test func missingFileIsNotFound() throws {
        let path = "\(directory)/missing.mp4"
        #expect(throws: VideoIOError.notFound(path: path)) { try FFmpegVideoDecoder(path: path) }
    }

    func expectCodecError(_ path: String, mentioning words: [String] = []) {
        do {
            _ = try FFmpegVideoReader().readSync(path: path)
            Issue.record("\(path) decoded without error")
        } catch let error as VideoIOError {
            guard case .codec(let file, let detail) = error else { Issue.record("wrong case \(error)"); return }
            #expect(file == path)
            #expect(!detail.isEmpty)
            #expect(error.description.contains(path))
            print("typed error: \(error)")
            for word in words { #expect(detail.contains(word), "\(detail)") }
        } catch {
            Issue.record("untyped error \(error)")
        }
    }

    @Test func emptyCorruptTruncatedAndUnsupportedFilesThrowTypedErrors() throws {
        let empty = "\(directory)/empty.mp4"
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        expectCodecError(empty)

        var rng = SeededGenerator(seed: 7)
        let noise = "\(directory)/noise.mkv"
        _ = FileManager.default.createFile(atPath: noise, contents: Data((0..<50_000).map { _ in UInt8.random(in: 0...255, using: &rng) }))
        expectCodecError(noise)

        let text = "\(directory)/notes.avi"
        _ = FileManager.default.createFile(atPath: text, contents: Data(String(repeating: "not a video\n", count: 200).utf8))
        expectCodecError(text)

        // An mp4 cut in half loses its index (the moov atom is written last).
        let whole = "\(directory)/whole.mp4"
        try FFmpegVideoWriter(codec: .h264).writeSync(Self.clip(), path: whole)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: whole))
        let truncated = "\(directory)/truncated.mp4"
        _ = FileManager.default.createFile(atPath: truncated, contents: bytes.prefix(bytes.count / 2))
        expectCodecError(truncated)

        // Corrupt payload: keep the container, overwrite the middle of the media data.
        var damaged = bytes
        for i in (bytes.count / 4)..<(bytes.count / 4 + 400) { damaged[i] = UInt8.random(in: 0...255, using: &rng) }
        let corrupt = "\(directory)/corrupt.mp4"
        _ = FileManager.default.createFile(atPath: corrupt, contents: damaged)
        do {
            let clip = try FFmpegVideoReader().readSync(path: corrupt)
            // H.264 conceals damaged slices; what comes back must still be well-formed.
            #expect(clip.frames.allSatisfy { $0.width == 64 && $0.height == 48 })
        } catch let error as VideoIOError {
            #expect(error.description.contains(corrupt))
        }
    }

    @Test func fifosDirectoriesAndURLsAreRefusedWithoutBlocking() throws {
        let fifo = "\(directory)/pipe.mp4"
        #expect(mkfifo(fifo, 0o644) == 0)
        #expect(throws: VideoIOError.codec(path: fifo, detail: "not a regular file")) { try FFmpegVideoDecoder(path: fifo) }
        #expect(throws: VideoIOError.codec(path: directory, detail: "not a regular file")) { try FFmpegVideoDecoder(path: directory) }
        #expect(throws: VideoIOError.self) { try FFmpegVideoDecoder(path: "http://127.0.0.1:9/video.mp4") }
    }

    @Test func failedWriteLeavesTheExistingFileAlone() throws {
        let path = "\(directory)/keep.mp4"
        try FFmpegVideoWriter(codec: .h264).writeSync(Self.clip(), path: path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        // Odd sizes cannot be yuv420p: the writer refuses before touching anything.
        #expect(throws: VideoIOError.self) {
            try FFmpegVideoWriter(codec: .h264).writeSync(try Self.clip(width: 63, height: 47), path: path)
        }
        // A frame of the wrong size mid-stream aborts the encode; the old file stays.
        let encoder = try FFmpegVideoEncoder(path: path, width: 64, height: 48, framesPerSecond: 20, codec: .h264)
        try encoder.append(try Self.clip().frames[0])
        #expect(throws: VideoIOError.self) { try encoder.append(try RGBImage(width: 8, height: 8)) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix(".") }
        #expect(leftovers.count <= 1)   // the abandoned encoder's temporary goes away when it is released
    }
}
