/// One vertex of the reverse-mode graph: the parents of a result and the closure that maps the
/// result's gradient to its parents' gradients (micrograd's `_backward`, written next to each op).
///
/// Nodes are created by operations only when gradients are enabled and some input needs one. A leaf
/// node (no parents) belongs to a tensor made with ``Tensor/requiringGrad()``; its ``grad`` accumulates
/// across ``Tensor/backward(seed:)`` calls until ``zeroGrad()``.
///
/// `@unchecked Sendable`: a node is only mutated by the backward pass, which runs on one thread;
/// tensors holding nodes are not shared across threads while a backward pass runs.
public final class GradNode: @unchecked Sendable {
    /// The element count of the tensor this node belongs to.
    let count: Int
    /// The nodes of the operation's inputs, in order; nil for inputs that need no gradient.
    let parents: [GradNode?]
    /// Maps the output gradient (and which inputs need one) to one gradient per input.
    let backward: (([Float], [Bool]) -> [[Float]?])?
    /// For single-input ops whose gradient covers only part of the input (slices): adds the output
    /// gradient into the input's full-size gradient in place, instead of `backward` building a
    /// zero-filled full-size array per slice and adding it.
    let scatter: ((inout [Float], [Float]) -> Void)?
    /// The operation name, for debugging.
    public let op: String
    /// The accumulated gradient (leaves) or the gradient in flight (interior nodes).
    public internal(set) var grad: [Float]?

    init(op: String, count: Int, parents: [GradNode?], backward: (([Float], [Bool]) -> [[Float]?])?,
         scatter: ((inout [Float], [Float]) -> Void)? = nil) {
        self.op = op
        self.count = count
        self.parents = parents
        self.backward = backward
        self.scatter = scatter
    }

    /// True for a node without parents (a tensor that requires a gradient).
    public var isLeaf: Bool { backward == nil }

    /// Forgets the accumulated gradient.
    public func zeroGrad() { grad = nil }

    /// Adds a partial gradient through `scatter` (zero-filling the gradient first when there is none).
    func accumulate(scattering g: [Float], _ scatter: (inout [Float], [Float]) -> Void) {
        var existing = grad ?? [Float](repeating: 0, count: count)
        grad = nil  // drop the stored reference so the scatter mutates in place
        scatter(&existing, g)
        grad = existing
    }

    func accumulate(_ g: [Float]) {
        if var existing = grad {
            grad = nil  // drop the stored reference so the add below mutates in place
            Kernels.addInPlace(&existing, g)
            grad = existing
        } else {
            grad = g
        }
    }
}
