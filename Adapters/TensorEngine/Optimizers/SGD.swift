/// Stochastic gradient descent with (heavy-ball) momentum and L2 weight decay, as PyTorch's `SGD`:
/// `b ← μ·b + (g + wd·p)`, `p ← p − lr·b`.
public final class SGD: Optimizer {
    /// The step size.
    public var learningRate: Float
    /// Momentum `μ` (0 for plain SGD).
    public let momentum: Float
    /// L2 weight decay added to the gradient.
    public let weightDecay: Float
    private var buffers: [String: [Float]] = [:]

    /// Creates the optimizer.
    public init(learningRate: Float, momentum: Float = 0, weightDecay: Float = 0) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
    }

    /// Applies one step.
    /// - Throws: ``TensorError`` if a gradient's shape differs from its parameter's.
    public func update(_ model: Module, gradients: [String: Tensor]) throws {
        for (path, parameter, gradient) in try slotsToUpdate(model, gradients, op: "SGD.update") {
            var p = parameter.value.scalars
            let g = gradient.scalars
            var b = buffers[path]
            for i in 0..<p.count {
                let d = g[i] + weightDecay * p[i]
                if momentum != 0 {
                    let next = b.map { momentum * $0[i] + d } ?? d
                    if b == nil { b = [Float](repeating: 0, count: p.count) }
                    b?[i] = next
                    p[i] -= learningRate * next
                } else {
                    p[i] -= learningRate * d
                }
            }
            buffers[path] = b
            parameter.value = Tensor(unchecked: p, shape: gradient.shape)
        }
    }

    /// The momentum buffers as `momentum.<path>`.
    public func stateTensors() -> [String: Tensor] {
        var state: [String: Tensor] = [:]
        for (path, values) in buffers { state["momentum." + path] = Tensor(unchecked: values, shape: [values.count]) }
        return state
    }

    /// Restores buffers saved by ``stateTensors()``.
    /// - Throws: ``TensorError`` for a key that is not `momentum.*`.
    public func loadState(_ state: [String: Tensor]) throws {
        var restored: [String: [Float]] = [:]
        for (key, tensor) in state {
            guard key.hasPrefix("momentum.") else {
                throw TensorError.invalidArgument(op: "SGD.loadState", argument: "state", reason: "unknown key \(key)")
            }
            restored[String(key.dropFirst("momentum.".count))] = tensor.scalars
        }
        buffers = restored
    }
}
