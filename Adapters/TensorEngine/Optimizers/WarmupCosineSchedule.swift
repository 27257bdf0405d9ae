import Foundation

/// Linear warmup from 0 to `peak` over `warmupSteps`, then cosine decay to `minimum` at `totalSteps`
/// (held there afterwards).
public struct WarmupCosineSchedule: Sendable, Equatable {
    /// The learning rate at the end of warmup.
    public let peak: Float
    /// The learning rate at and after `totalSteps`.
    public let minimum: Float
    /// Steps of linear warmup.
    public let warmupSteps: Int
    /// The step at which the decay ends.
    public let totalSteps: Int

    /// Creates the schedule.
    /// - Throws: ``TensorError`` unless `0 <= warmupSteps < totalSteps` and `0 <= minimum <= peak`.
    public init(peak: Float, minimum: Float = 0, warmupSteps: Int, totalSteps: Int) throws {
        guard warmupSteps >= 0, totalSteps > warmupSteps else {
            throw TensorError.invalidArgument(op: "WarmupCosineSchedule", argument: "steps",
                                              reason: "expected 0 <= warmupSteps < totalSteps, got \(warmupSteps), \(totalSteps)")
        }
        guard minimum >= 0, minimum <= peak else {
            throw TensorError.invalidArgument(op: "WarmupCosineSchedule", argument: "minimum", reason: "expected in [0, \(peak)], got \(minimum)")
        }
        self.peak = peak
        self.minimum = minimum
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
    }

    /// The learning rate for (zero-based) `step`.
    public func learningRate(at step: Int) -> Float {
        if step < warmupSteps { return peak * Float(step + 1) / Float(warmupSteps) }
        if step >= totalSteps { return minimum }
        let progress = Double(step - warmupSteps) / Double(totalSteps - warmupSteps)
        let cosine = 0.5 * (1 + cos(Double.pi * progress))
        return minimum + (peak - minimum) * Float(cosine)
    }
}
