/// Port: dense optical flow between two frames (Farnebäck in production; flow-eval.md).
///
/// ```swift
/// let predicted = try estimator.flow(from: generated[t], to: generated[t + 1])
/// let reference = try estimator.flow(from: real[t], to: real[t + 1])
/// let epe = try FlowMetrics.endPointError(generated: predicted, reference: reference)
/// ```
public protocol OpticalFlowEstimator: Sendable {
    /// The motion field that maps `first` onto `second` (`flow[y, x]` = displacement of pixel (x, y)).
    func flow(from first: RGBImage, to second: RGBImage) throws -> FlowField
}
