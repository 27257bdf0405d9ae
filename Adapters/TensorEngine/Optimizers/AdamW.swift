import Foundation

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
        let c1 = 1 - Float(Foundation.pow(Double(beta1), Double(step))), c2 = 1 - Float(Foundation.pow(Double(beta2), Double(step)))
        let (lr, b1, b2, eps, decay) = (learningRate, beta1, beta2, self.eps, 1 - learningRate * weightDecay)
        for (path, parameter, gradient) in slots {
            var mp = m[path] ?? [Float](repeating: 0, count: gradient.count)
            var vp = v[path] ?? [Float](repeating: 0, count: gradient.count)
            m[path] = nil
            v[path] = nil
            var p = parameter.value.scalars
            parameter.value = Tensor(unchecked: [], shape: [0])  // release the old storage so `p` is unique
            AdamW.fusedUpdate(&p, &mp, &vp, gradient.scalars, lr: lr, beta1: b1, beta2: b2, eps: eps, decay: decay,
                              correction1: c1, correction2: c2)
            parameter.value = Tensor(unchecked: p, shape: gradient.shape)
            m[path] = mp
            v[path] = vp
        }
    }

    /// One fused pass over a parameter: moments, bias correction, decoupled decay and the step,
    /// eight lanes at a time (then the scalar tail).
    static func fusedUpdate(_ p: inout [Float], _ m: inout [Float], _ v: inout [Float], _ g: [Float], lr: Float,
                            beta1: Float, beta2: Float, eps: Float, decay: Float, correction1: Float, correction2: Float) {
        let n = g.count
        p.withUnsafeMutableBufferPointer { pp in m.withUnsafeMutableBufferPointer { pm in v.withUnsafeMutableBufferPointer { pv in
        g.withUnsafeBufferPointer { pg in
            guard let p0 = pp.baseAddress, let m0 = pm.baseAddress, let v0 = pv.baseAddress, let g0 = pg.baseAddress else { return }
            typealias V = SIMD8<Float>
            let (inv1, inv2) = (1 / correction1, 1 / correction2)
            Parallel.chunks((n + 7) / 8, costPerItem: 8) { blocks in
            let end = Swift.min(n, blocks.upperBound * 8)
            var i = blocks.lowerBound * 8
            while i + 8 <= end {
                let gi = UnsafeRawPointer(g0 + i).loadUnaligned(as: V.self)
                var mi = UnsafeRawPointer(m0 + i).loadUnaligned(as: V.self)
                var vi = UnsafeRawPointer(v0 + i).loadUnaligned(as: V.self)
                var pi = UnsafeRawPointer(p0 + i).loadUnaligned(as: V.self)
                mi = mi * beta1 + gi * (1 - beta1)
                vi = vi * beta2 + gi * gi * (1 - beta2)
                let denominator: V = (vi * inv2).squareRoot() + eps
                pi = pi * decay - (mi * inv1) / denominator * lr
                UnsafeMutableRawPointer(m0 + i).storeBytes(of: mi, as: V.self)
                UnsafeMutableRawPointer(v0 + i).storeBytes(of: vi, as: V.self)
                UnsafeMutableRawPointer(p0 + i).storeBytes(of: pi, as: V.self)
                i += 8
            }
            while i < end {
                m0[i] = beta1 * m0[i] + (1 - beta1) * g0[i]
                v0[i] = beta2 * v0[i] + (1 - beta2) * g0[i] * g0[i]
                p0[i] = p0[i] * decay - lr * (m0[i] * inv1) / ((v0[i] * inv2).squareRoot() + eps)
                i += 1
            }
            }
        }}}}
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
