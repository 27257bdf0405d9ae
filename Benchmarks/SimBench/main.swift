// SimBench: throughput of the Bullet reference simulator and its software camera, and the scripted experts'
// success rates. Build in release: `swift build -c release --product SimBench && .build/release/SimBench`.
// Options: --quick (fewer repetitions), --success N (expert seeds per task, default 0 = skip).
import BulletSimulator
import Foundation
import ProphRLCore
import SoftRaster

let arguments = CommandLine.arguments
let quick = arguments.contains("--quick")
let successSeeds = arguments.firstIndex(of: "--success").flatMap { Int(arguments[$0 + 1]) } ?? 0
let repetitions = quick ? 3 : 7

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

/// Median rate (operations per second) over the repetitions of `body`, which performs `count` operations.
func rate(count: Int, _ body: () throws -> Void) rethrows -> Double {
    var rates: [Double] = []
    for _ in 0..<repetitions {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        rates.append(Double(count) / seconds)
    }
    return median(rates)
}

func format(_ v: Double) -> String { String(format: "%.0f", v) }

do {
    print("SimBench: single thread, Bullet 3.24 double precision, \(repetitions) repetitions, medians")
    // Physics: arm + gripper + task objects, motors holding a moving target.
    for task in SimTask.allCases {
        let run = try SimulationRun(task: task, seed: 1)
        let steps = quick ? 2000 : 10000
        let r = rate(count: steps) { run.world.step(steps) }
        print("physics \(task.rawValue): \(format(r)) steps/s")
    }
    // Renderer.
    let renderer = try SoftRasterizer()
    for task in [SimTask.placeBowl, .pickBottle] {
        let run = try SimulationRun(task: task, seed: 1)
        let scene = try run.renderScene()
        for resolution in [64, 128] {
            let camera = try SimulationRun.defaultCamera(resolution: resolution)
            let frames = quick ? 100 : 500
            var checksum = 0
            let r = try rate(count: frames) {
                for _ in 0..<frames { checksum &+= Int(try renderer.render(scene, camera: camera).image.pixels[0]) }
            }
            print("render \(task.rawValue) \(resolution)x\(resolution): \(format(r)) frames/s (\(scene.primitives.count) primitives, checksum \(checksum % 10))")
        }
    }
    // Full control step: 24 substeps + IK + scene + one 64×64 render.
    let camera = try SimulationRun.defaultCamera(resolution: 64)
    for task in SimTask.allCases {
        let steps = 40
        let r = try rate(count: steps) {
            let run = try SimulationRun(task: task, seed: 2)
            var expert = ScriptedExpert(run: run, seed: 2)
            for _ in 0..<steps {
                try run.apply(expert.nextAction(for: run))
                _ = try renderer.render(run.renderScene(), camera: camera)
            }
        }
        print("control step + 64x64 render \(task.rawValue): \(format(r)) steps/s (world build included)")
    }
    if successSeeds > 0 {
        for task in SimTask.allCases {
            var successes = 0, steps = 0
            var failed: [UInt64] = []
            for seed in 0..<successSeeds {
                let run = try SimulationRun(task: task, seed: UInt64(seed))
                var expert = ScriptedExpert(run: run, seed: UInt64(seed))
                while !run.isDone { try run.apply(expert.nextAction(for: run)) }
                if run.succeeded { successes += 1 } else { failed.append(UInt64(seed)) }
                steps += run.stepCount
            }
            print("expert \(task.rawValue): \(successes)/\(successSeeds) successful (seeds 0..<\(successSeeds)), "
                  + "mean \(steps / successSeeds) steps, failed seeds \(failed.prefix(10))")
        }
    }
} catch {
    print("SimBench failed: \(error)")
    exit(1)
}
