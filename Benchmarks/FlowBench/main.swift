// FlowBench: Farneback time per pair vs OpenCV on one thread (the OpenCV peer runs in the same run),
// 2-thread speed-up of the evaluation protocol over a whole video, and FFmpeg decode/encode speed vs real time.
// Run with `make bench-flow` (release build; needs python3 with opencv-python-headless for the peer).
import FarnebackFlow
import Foundation
import ProphRL
import ProphRLCore
import Synchronization
import VideoFFmpeg

/// The spec's test image I(x, y; dx, dy) (flow-eval.md §3.5), clipped to bytes.
func testImage(_ n: Int, dx: Double, dy: Double) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: n * n)
    for y in 0..<n {
        for x in 0..<n {
            let u = Double(x) - dx, v = Double(y) - dy
            let value = 127.3 + 60 * sin(2 * Double.pi * u / 23) * cos(2 * Double.pi * v / 31) + 40 * sin(2 * Double.pi * (u + 2 * v) / 41)
            out[y * n + x] = UInt8(max(0, min(255, (value + 0.5).rounded(.down))))
        }
    }
    return out
}

func rgbFrame(_ n: Int, dx: Double, dy: Double) throws -> RGBImage {
    let grey = testImage(n, dx: dx, dy: dy)
    var pixels = [UInt8](repeating: 0, count: n * n * 3)
    for i in grey.indices { pixels[3 * i] = grey[i]; pixels[3 * i + 1] = grey[i] / 2 + 60; pixels[3 * i + 2] = 255 - grey[i] }
    return try RGBImage(width: n, height: n, pixels: pixels)
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// Median seconds per call of `body` over `repetitions` calls (after one warm-up call).
func median(_ repetitions: Int, _ body: () throws -> Void) rethrows -> Double {
    try body()
    var times: [Double] = []
    for _ in 0..<repetitions {
        let start = now()
        try body()
        times.append(now() - start)
    }
    return times.sorted()[times.count / 2]
}

/// CPU seconds of the calling thread: unlike wall time, not inflated when other users' jobs share the cores.
func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// Median thread-CPU seconds per call of `body` over `repetitions` calls (after one warm-up call).
func medianCPU(_ repetitions: Int, _ body: () throws -> Void) rethrows -> Double {
    try body()
    var times: [Double] = []
    for _ in 0..<repetitions {
        let start = threadCPUSeconds()
        try body()
        times.append(threadCPUSeconds() - start)
    }
    return times.sorted()[times.count / 2]
}

func mid(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

/// Runs the OpenCV peer; returns its median milliseconds per pair for each size (nil if unavailable).
func opencvMilliseconds(_ sizes: [Int]) -> [Int: Double]? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "Benchmarks/peers/opencv_flow_bench.py"] + sizes.map(String.init)
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    var result: [Int: Double] = [:]
    for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
        let parts = line.split(separator: " ")
        if parts.count >= 3, parts[0] == "opencv", let n = Int(parts[1]), let ms = Double(parts[2]) { result[n] = ms }
    }
    return result
}

print("FlowBench — \(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(loadAverage())")
print("Farneback (0.5, 3, 15, 3, 5, 1.2, 0), one pair of the spec's texture shifted by (1.5, -0.75); 1 thread each;")
print("per-pair times are median thread CPU time (both sides), robust to other jobs sharing the cores")

// MARK: - Per pair vs OpenCV, three alternating rounds
let estimator = FarnebackOpticalFlow()
var ours: [Int: [Double]] = [:], theirs: [Int: [Double]] = [:]
for round in 1...3 {
    for n in [64, 256] {
        let prev = testImage(n, dx: 0, dy: 0), next = testImage(n, dx: 1.5, dy: -0.75)
        let seconds = try medianCPU(n == 64 ? 400 : 60) {
            _ = try estimator.flow(previousGrey: prev, nextGrey: next, width: n, height: n)
        }
        ours[n, default: []].append(seconds * 1e3)
    }
    if let peer = opencvMilliseconds([64, 256]) {
        for (n, ms) in peer { theirs[n, default: []].append(ms) }
    }
    let line = [64, 256].map { n in
        let o = ours[n]!.last!
        let t = theirs[n]?.last.map { String(format: "OpenCV %.3f ms, ratio %.2f", $0, o / $0) } ?? "OpenCV unavailable"
        return String(format: "%dx%d: Swift %.3f ms, ", n, n, o) + t
    }.joined(separator: " | ")
    print("round \(round): \(line)")
}
for n in [64, 256] {
    let o = mid(ours[n]!)
    if let t = theirs[n], !t.isEmpty {
        print(String(format: "per pair %dx%d (median of rounds): Swift %.3f ms, OpenCV %.3f ms, ratio Swift/OpenCV %.2f", n, n, o, mid(t), o / mid(t)))
    } else {
        print(String(format: "per pair %dx%d: Swift %.3f ms (OpenCV peer unavailable: pip install opencv-python-headless)", n, n, o))
    }
}

// MARK: - Whole video: evaluation protocol on 1 and 2 threads

/// Work a pure arithmetic loop gets done in 0.5 s on `threads` threads, relative to one thread: how many cores
/// the machine actually gives this process right now (other users' builds share the two cores).
func availableParallelism() -> Double {
    func spin(_ threads: Int) -> Double {
        let counts = Mutex<[Double]>([])
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            let end = now() + 0.5
            var x = 1.0, n = 0.0
            while now() < end {
                for _ in 0..<1000 { x = x * 1.0000001 + 1e-9 }
                n += 1
            }
            let done = n + (x > 1e300 ? 1 : 0)
            counts.withLock { $0.append(done) }
        }
        return counts.withLock { $0.reduce(0, +) }
    }
    return spin(2) / spin(1)
}
let parallelism = availableParallelism()
print(String(format: "available parallelism right now (2-thread arithmetic loop vs 1): %.2f cores", parallelism))
let frameCount = 21
let reference = try VideoClip(frames: (0..<frameCount).map { try rgbFrame(256, dx: 1.0 * Double($0), dy: 0.5 * Double($0)) }, framesPerSecond: 20)
let generated = try VideoClip(frames: (0..<frameCount).map { try rgbFrame(256, dx: 0.8 * Double($0), dy: 0.6 * Double($0)) }, framesPerSecond: 20)
var flowTimes: [Int: Double] = [:], evaluationTimes: [Int: Double] = [:], flowCPU: [Int: Double] = [:]
let pairs = Array(0..<(frameCount - 1))
for threads in [1, 2] {
    // The flows alone: 2 videos × 20 pairs spread over the threads, as the service does. CPU time is
    // recorded too: on a loaded machine the wall-clock speed-up is capped by the cores others leave free,
    // while CPU time per video shows whether the parallel work itself costs more.
    let cpuStart = processCPUSeconds()
    flowTimes[threads] = median(3) {
        DispatchQueue.concurrentPerform(iterations: threads) { worker in
            for job in stride(from: worker, to: 2 * pairs.count, by: threads) {
                let clip = job < pairs.count ? reference : generated, t = job % pairs.count
                _ = try? estimator.flow(from: clip.frames[t], to: clip.frames[t + 1])
            }
        }
    }
    flowCPU[threads] = (processCPUSeconds() - cpuStart) / 4   // warm-up + 3 timed runs
    let service = try FlowEvaluation(estimator: estimator, estimatorName: estimator.description, threads: threads)
    evaluationTimes[threads] = try median(3) { _ = try service.evaluate(reference: reference, generated: generated) }
}
print(String(format: "whole video, 21 frames 256x256, 40 flows: 1 thread %.3f s, 2 threads %.3f s, speed-up %.2fx; "
             + "CPU time per video %.3f s (1 thread) vs %.3f s (2 threads), cores used on 2 threads %.2f",
             flowTimes[1]!, flowTimes[2]!, flowTimes[1]! / flowTimes[2]!, flowCPU[1]!, flowCPU[2]!, flowCPU[2]! / flowTimes[2]!))
print(String(format: "eval-flow protocol (40 flows + 21 PSNR/SSIM): 1 thread %.3f s, 2 threads %.3f s, speed-up %.2fx",
             evaluationTimes[1]!, evaluationTimes[2]!, evaluationTimes[1]! / evaluationTimes[2]!))

// MARK: - Decode / encode speed at 256x256, 20 fps
let seconds = 10.0
let clip = try VideoClip(frames: (0..<Int(seconds * 20)).map { try rgbFrame(256, dx: 0.7 * Double($0), dy: 0.3 * Double($0)) },
                         framesPerSecond: 20)
let directory = NSTemporaryDirectory() + "flowbench-\(getpid())"
try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: directory) }
for (codec, ext) in [(FFmpegVideoCodec.h264, "mp4"), (.losslessRGB, "mp4"), (.ffv1, "mkv")] {
    let path = "\(directory)/bench-\(codec.rawValue).\(ext)"
    let writer = FFmpegVideoWriter(codec: codec, threads: 1)
    var cpu = processCPUSeconds()
    let encode = try median(3) { try writer.writeSync(clip, path: path) }
    let encodeCPU = (processCPUSeconds() - cpu) / 4
    let reader = FFmpegVideoReader(threads: 1)
    cpu = processCPUSeconds()
    let decode = try median(3) { _ = try reader.readSync(path: path) }
    let decodeCPU = (processCPUSeconds() - cpu) / 4
    let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    print(String(format: "%@ 256x256, %d frames (%.0f s at 20 fps), 1 codec thread: encode %.0fx real time (wall), %.0fx (CPU); "
                 + "decode %.0fx (wall), %.0fx (CPU); %d bytes",
                 codec.rawValue, clip.frames.count, seconds, seconds / encode, seconds / encodeCPU,
                 seconds / decode, seconds / decodeCPU, bytes))
}

func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

func loadAverage() -> String {
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
}
