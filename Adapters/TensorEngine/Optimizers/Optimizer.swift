/// Updates a module's trainable parameters from gradients keyed by dotted path, keeping per-parameter
/// state that can be saved and restored as named tensors (for checkpoints).
///
/// ```swift
/// let optimizer = AdamW(learningRate: 3e-4, weightDecay: 0.01)
/// let (loss, grads) = try valueAndGrad(model) { m in try m(x).mseLoss(y) }
/// try optimizer.update(model, gradients: clipGradientNorm(grads, maxNorm: 1).gradients)
/// let state = optimizer.stateTensors()    // "step", "m.<path>", "v.<path>"
/// ```
public protocol Optimizer: AnyObject {
    /// The step size of the next update (set it from a schedule each step).
    var learningRate: Float { get set }
    /// Applies one update to every trainable parameter that has a gradient.
    func update(_ model: Module, gradients: [String: Tensor]) throws
    /// The optimizer state as named tensors.
    func stateTensors() -> [String: Tensor]
    /// Restores state saved by ``stateTensors()``.
    func loadState(_ state: [String: Tensor]) throws
}

extension Optimizer {
    /// The parameter slots that receive an update, after checking the gradients' shapes.
    func slotsToUpdate(_ model: Module, _ gradients: [String: Tensor], op: String) throws -> [(String, Parameter, Tensor)] {
        var result: [(String, Parameter, Tensor)] = []
        for (path, parameter) in model.namedParameterSlots() where !parameter.isFrozen {
            guard let g = gradients[path] else { continue }
            guard g.shape == parameter.value.shape else {
                throw TensorError.shapeMismatch(op: op, argument: "gradients[\(path)]", expected: "\(parameter.value.shape)", actual: "\(g.shape)")
            }
            result.append((path, parameter, g))
        }
        return result
    }
}

/// Scales gradients so their global L2 norm is at most `maxNorm`; returns them with the norm before clipping.
public func clipGradientNorm(_ gradients: [String: Tensor], maxNorm: Float) -> (gradients: [String: Tensor], norm: Float) {
    var total: Double = 0
    for g in gradients.values { for x in g.scalars { total += Double(x) * Double(x) } }
    let norm = Float(total.squareRoot())
    guard norm > maxNorm, norm > 0 else { return (gradients, norm) }
    let factor = maxNorm / (norm + 1e-6)
    return (gradients.mapValues { ($0 * factor).detached() }, norm)
}
