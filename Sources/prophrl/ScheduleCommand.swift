import ArgumentParser
import Foundation
import ProphRLCore

/// `prophrl schedule`: prints a denoising grid with its Flow-SDE stds and FlowScale weights, to choose K, η
/// and the FlowScale settings before a run.
struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Print a denoising grid, its Flow-SDE step stds and the FlowScale weights."
    )

    @Option(help: "Denoising steps K.") var steps = 4
    @Option(help: "Flow-SDE noise level η.") var eta = 0.5
    @Option(help: "SD3 time shift (1 = uniform grid).") var shift = 1.0
    @Option(help: "FlowScale ε.") var epsilon = 1e-6
    @Option(help: "FlowScale exponent p.") var power = 1.0
    @Option(help: "FlowScale mix toward 1, α.") var alpha = 0.5
    @Option(help: "FlowScale lower clip.") var minWeight = 0.5
    @Option(help: "FlowScale upper clip.") var maxWeight = 2.0

    func run() throws {
        let grid = shift == 1 ? try TimeGrid.uniform(steps: steps) : try TimeGrid.shifted(steps: steps, shift: shift)
        let sde = try FlowSDE(grid: grid, eta: eta)
        let flowScale = FlowScale(epsilon: epsilon, power: power, alpha: alpha, minWeight: minWeight, maxWeight: maxWeight)
        let weights = try flowScale.weights(variances: sde.variances)
        print("k   τ_k        τ_k+1      σ_τ        s_k        w_k")
        for (k, c) in sde.coefficients.enumerated() {
            let cells = [c.tau, c.next, c.sigmaTau, c.std, weights[k]].map { String(format6: $0).padding(toLength: 10, withPad: " ", startingAt: 0) }
            print("\(k)".padding(toLength: 4, withPad: " ", startingAt: 0) + cells.joined(separator: " "))
        }
        let spread = (sde.stds.max() ?? 0) / max(sde.stds.min() ?? 1, .leastNonzeroMagnitude)
        print("step-std spread max/min = \(String(format6: spread)); mean weight = \(String(format6: weights.reduce(0, +) / Double(weights.count)))")
    }
}
