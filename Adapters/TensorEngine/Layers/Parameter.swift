/// A trainable tensor slot owned by a ``Module``; modules find their parameters by reflection over
/// stored properties of this type, so a layer only declares `let weight: Parameter`.
public final class Parameter {
    /// The current value.
    public var value: Tensor
    /// Frozen parameters get no gradient and are skipped by optimizers.
    public var isFrozen: Bool

    /// Creates a trainable (or frozen) parameter holding `value`.
    public init(_ value: Tensor, frozen: Bool = false) {
        self.value = value.detached()
        self.isFrozen = frozen
    }
}
