/// Adam with decoupled weight decay (Loshchilov & Hutter), as PyTorch's `AdamW`: for each parameter
/// `p ← p·(1 − lr·wd)`, then `p ← p − lr · m̂ / (√v̂ + eps)`, in one fused pass over the values.
public final class AdamW: Optimizer {
    /// The step size.
    public var learningRate: Float
    /// First-moment decay.
    public let beta1: Float
    /// Second-moment decay.
    public let beta2: Float
    /// Added to `√v̂`.
    public let eps: Float
    /// Decoupled weight decay.
    public let weightDecay: Float
    /// Updates applied so far.
    public private(set) var step = 0
    private var m: [String: [Float]] = [:]
    private var v: [String: [Float]] = [:]

    /// Creates the optimizer (PyTorch defaults except the learning rate).
    public init(learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8, weightDecay: Float = 0.01) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.weightDecay = weightDecay
    }

    /// Applies one AdamW step.
    /// - Throws: ``TensorError`` if a gradient's shape differs from its parameter's.
    public func update(_ model: Module, gradients: [String: Tensor]) throws {
        let slots = try slotsToUpdate(model, gradients, op: "AdamW.update")
        step += 1
        let c1 = 1 - Float(Double(beta1).power(step)), c2 = 1 - Float(Double(beta2).power(step))
        let (lr, b1, b2, eps, decay) = (learningRate, beta1, beta2, self.eps, 1 - learningRate * weightDecay)
        for (path, parameter, gradient) in slots {
            var mp = m[path] ?? [Float](repeating: 0, count: gradient.count)
            var vp = v[path] ?? [Float](repeating: 0, count: gradient.count)
            m[path] = nil
            v[path] = nil
            var p = parameter.value.scalars
            parameter.value = Tensor(unchecked: [], shape: [0])  // release the old storage so `p` is unique
            gradient.scalars.withUnsafeBufferPointer { g in
                for i in 0..<g.count {
                    mp[i] = b1 * mp[i] + (1 - b1) * g[i]
                    vp[i] = b2 * vp[i] + (1 - b2) * g[i] * g[i]
                    let update = (mp[i] / c1) / ((vp[i] / c2).squareRoot() + eps)
                    p[i] = p[i] * decay - lr * update
                }
            }
            parameter.value = Tensor(unchecked: p, shape: gradient.shape)
            m[path] = mp
            v[path] = vp
        }
    }

    /// `step` (scalar) and the moments as `m.<path>` and `v.<path>`.
    public func stateTensors() -> [String: Tensor] {
        var state: [String: Tensor] = ["step": Tensor(scalar: Float(step))]
        for (path, values) in m { state["m." + path] = Tensor(unchecked: values, shape: [values.count]) }
        for (path, values) in v { state["v." + path] = Tensor(unchecked: values, shape: [values.count]) }
        return state
    }

    /// Restores state saved by ``stateTensors()``.
    /// - Throws: ``TensorError`` if `step` is missing or a key is not `step`, `m.*` or `v.*`.
    public func loadState(_ state: [String: Tensor]) throws {
        guard let stepTensor = state["step"], stepTensor.count == 1 else { throw TensorError.missingKey(op: "AdamW.loadState", key: "step") }
        var newM: [String: [Float]] = [:], newV: [String: [Float]] = [:]
        for (key, tensor) in state where key != "step" {
            if key.hasPrefix("m.") { newM[String(key.dropFirst(2))] = tensor.scalars }
            else if key.hasPrefix("v.") { newV[String(key.dropFirst(2))] = tensor.scalars }
            else { throw TensorError.invalidArgument(op: "AdamW.loadState", argument: "state", reason: "unknown key \(key)") }
        }
        step = Int(stepTensor.scalars[0])
        m = newM
        v = newV
    }
}

extension Double {
    /// `self` to a non-negative integer power.
    func power(_ n: Int) -> Double {
        var result = 1.0
        for _ in 0..<n { result *= self }
        return result
    }
}
