// Reverse-mode autodiff: order the graph behind a result topologically (the tape), then run each
// node's backward closure from the result back to the leaves.

extension Tensor {
    /// Propagates gradients from this tensor to every leaf that requires one, adding them to the
    /// leaves' accumulated ``grad`` (call it again to accumulate over micro-batches).
    ///
    /// - Parameter seed: the gradient of the final objective with respect to this tensor; defaults
    ///   to ones (for a scalar loss, `dL/dL = 1`).
    /// - Throws: ``TensorError`` if `seed` is not shaped like this tensor.
    public func backward(seed: Tensor? = nil) throws {
        guard let root = node else { return }
        if let seed, seed.shape != shape {
            throw TensorError.shapeMismatch(op: "backward", argument: "seed", expected: "\(shape)", actual: "\(seed.shape)")
        }
        let tape = Tensor.topologicalOrder(root)
        root.accumulate(seed?.scalars ?? [Float](repeating: 1, count: count))
        OpProfile.mark("backward:tape")
        for node in tape.reversed() {
            guard let backward = node.backward, let g = node.grad else { continue }
            node.grad = nil  // interior gradients are consumed once; only leaves keep theirs
            if let scatter = node.scatter, node.parents.count == 1 {
                node.parents[0]?.accumulate(scattering: g, scatter)
            } else {
                let needs = node.parents.map { $0 != nil }
                let grads = backward(g, needs)
                for (parent, grad) in zip(node.parents, grads) {
                    if let parent, let grad { parent.accumulate(grad) }
                }
            }
            OpProfile.mark("backward:" + node.op)
        }
    }

    /// Nodes reachable from `root`, parents before children (iterative DFS: deep graphs do not
    /// overflow the stack).
    static func topologicalOrder(_ root: GradNode) -> [GradNode] {
        var order: [GradNode] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(GradNode, Int)] = [(root, 0)]
        visited.insert(ObjectIdentifier(root))
        while let (node, next) = stack.popLast() {
            if next < node.parents.count {
                stack.append((node, next + 1))
                if let parent = node.parents[next], visited.insert(ObjectIdentifier(parent)).inserted {
                    stack.append((parent, 0))
                }
            } else {
                order.append(node)
            }
        }
        return order
    }
}

/// The value of `f` and its gradient with respect to each input tensor (inputs are detached first,
/// so the call leaves no state behind).
///
/// ```swift
/// let (loss, grads) = try valueAndGrad(at: [w, b]) { p in try (x.matmul(p[0]) + p[1]).square().mean() }
/// ```
/// - Throws: ``TensorError`` if `f` does not return a one-element tensor, or what `f` throws.
public func valueAndGrad(at inputs: [Tensor], _ f: ([Tensor]) throws -> Tensor) throws -> (value: Tensor, gradients: [Tensor]) {
    let leaves = inputs.map { $0.detached().requiringGrad() }
    let value = try GradMode.$isEnabled.withValue(true) { try f(leaves) }
    guard value.count == 1 else {
        throw TensorError.shapeMismatch(op: "valueAndGrad", argument: "f's result", expected: "a scalar",
                                        actual: "shape \(value.shape)")
    }
    try value.backward()
    let gradients = leaves.map { leaf in
        leaf.grad ?? Tensor(unchecked: [Float](repeating: 0, count: leaf.count), shape: leaf.shape)
    }
    return (value.detached(), gradients)
}
