// FlowBench: Farneback time per pair vs OpenCV (1 core), 2-core speed-up over a video, video decode/encode speed.
// Run with `make bench-flow` (builds in release, runs the OpenCV peer in the same run).
import FarnebackFlow
import Foundation
import ProphRLCore

/// The spec's test image I(x, y; dx, dy) (flow-eval.md §3.5).
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

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// Median seconds per call of `body` over `repetitions` calls (after one warm-up).
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

let estimator = FarnebackOpticalFlow()
var ours: [Int: Double] = [:]
for n in [64, 256] {
    let prev = testImage(n, dx: 0, dy: 0), next = testImage(n, dx: 1.5, dy: -0.75)
    ours[n] = try median(n == 64 ? 400 : 60) {
        _ = try estimator.flow(previousGrey: prev, nextGrey: next, width: n, height: n)
    }
    print(String(format: "swift farneback %dx%d: %.3f ms per pair (1 thread)", n, n, ours[n]! * 1e3))
}
