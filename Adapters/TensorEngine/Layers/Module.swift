/// The base class of layers and models (mlx-swift style): parameters and child modules are discovered
/// by reflection over stored properties, and exposed as a flat dictionary keyed by dotted path
/// (`blocks.3.attn.qkv.weight`) — the same keys a checkpoint or a safetensors file uses.
///
/// ```swift
/// final class Head: Module {
///     let fc1: Linear, fc2: Linear
///     init(rng: inout SeededGenerator) throws { fc1 = try Linear(4, 8, rng: &rng); fc2 = try Linear(8, 1, rng: &rng) }
/// }
/// let head = try Head(rng: &rng)
/// head.parameters().keys   // fc1.bias, fc1.weight, fc2.bias, fc2.weight
/// ```
/// Properties of type ``Parameter``, ``Module``, arrays of modules and optionals of these are
/// discovered; a leading underscore is dropped from names.
open class Module {
    /// Creates an empty module.
    public init() {}

    /// Every parameter slot with its dotted path, sorted by path.
    public func namedParameterSlots() -> [(path: String, parameter: Parameter)] {
        var found: [(String, Parameter)] = []
        Module.collect(self, prefix: "", into: &found)
        return found.sorted { $0.0 < $1.0 }
    }

    /// All parameter values by dotted path.
    public func parameters() -> [String: Tensor] {
        Dictionary(uniqueKeysWithValues: namedParameterSlots().map { ($0.path, $0.parameter.value) })
    }

    /// The values of the parameters that are not frozen, by dotted path.
    public func trainableParameters() -> [String: Tensor] {
        Dictionary(uniqueKeysWithValues: namedParameterSlots().filter { !$0.parameter.isFrozen }.map { ($0.path, $0.parameter.value) })
    }

    /// The total number of scalar parameters.
    public var parameterCount: Int { namedParameterSlots().reduce(0) { $0 + $1.parameter.value.count } }

    /// Replaces parameter values by path (keys not given keep their values).
    /// - Parameter strict: when true, every parameter must be given and no unknown key may appear.
    /// - Throws: ``TensorError`` for an unknown or missing key or a shape that differs from the slot's.
    public func update(parameters: [String: Tensor], strict: Bool = false) throws {
        let slots = Dictionary(uniqueKeysWithValues: namedParameterSlots().map { ($0.path, $0.parameter) })
        for key in parameters.keys where slots[key] == nil {
            throw TensorError.invalidArgument(op: "update", argument: "parameters", reason: "unknown key \(key)")
        }
        if strict, let missing = slots.keys.sorted().first(where: { parameters[$0] == nil }) {
            throw TensorError.missingKey(op: "update", key: missing)
        }
        for (key, value) in parameters {
            guard let slot = slots[key] else { continue }
            guard slot.value.shape == value.shape else {
                throw TensorError.shapeMismatch(op: "update", argument: key, expected: "\(slot.value.shape)", actual: "\(value.shape)")
            }
            slot.value = value.detached()
        }
    }

    /// Freezes every parameter whose path starts with `prefix` (all when nil).
    public func freeze(_ prefix: String? = nil) { setFrozen(true, prefix) }

    /// Unfreezes every parameter whose path starts with `prefix` (all when nil).
    public func unfreeze(_ prefix: String? = nil) { setFrozen(false, prefix) }

    private func setFrozen(_ frozen: Bool, _ prefix: String?) {
        for (path, parameter) in namedParameterSlots() where prefix.map({ path == $0 || path.hasPrefix($0 + ".") }) ?? true {
            parameter.isFrozen = frozen
        }
    }

    private static func collect(_ module: Module, prefix: String, into found: inout [(String, Parameter)]) {
        var mirror: Mirror? = Mirror(reflecting: module)
        while let current = mirror {
            for child in current.children {
                guard var label = child.label else { continue }
                if label.hasPrefix("_") { label.removeFirst() }
                visit(child.value, path: prefix + label, into: &found)
            }
            mirror = current.superclassMirror
        }
    }

    private static func visit(_ value: Any, path: String, into found: inout [(String, Parameter)]) {
        if let parameter = value as? Parameter {
            found.append((path, parameter))
        } else if let module = value as? Module {
            collect(module, prefix: path + ".", into: &found)
        } else {
            let mirror = Mirror(reflecting: value)
            switch mirror.displayStyle {
            case .optional:
                if let some = mirror.children.first { visit(some.value, path: path, into: &found) }
            case .collection:
                for (index, element) in mirror.children.enumerated() { visit(element.value, path: "\(path).\(index)", into: &found) }
            default:
                break
            }
        }
    }
}

/// A layer mapping one tensor to one tensor.
public protocol UnaryLayer: Module {
    /// Applies the layer.
    func callAsFunction(_ x: Tensor) throws -> Tensor
}

/// The value of `f(model)` and its gradient with respect to each trainable parameter, by dotted path.
///
/// Frozen parameters are detached for the call (no gradient work is spent on them); the model is
/// left without graph state afterwards.
/// ```swift
/// let (loss, grads) = try valueAndGrad(model) { m in try m(x).mseLoss(y) }
/// try optimizer.update(model, gradients: grads)
/// ```
/// - Throws: ``TensorError`` if `f` does not return one element, or what `f` throws.
public func valueAndGrad<M: Module>(_ model: M, _ f: (M) throws -> Tensor) throws -> (value: Tensor, gradients: [String: Tensor]) {
    let slots = model.namedParameterSlots()
    for (_, parameter) in slots {
        parameter.value = parameter.isFrozen ? parameter.value.detached() : parameter.value.detached().requiringGrad()
    }
    defer { for (_, parameter) in slots { parameter.value = parameter.value.detached() } }
    let value = try GradMode.$isEnabled.withValue(true) { try f(model) }
    guard value.count == 1 else {
        throw TensorError.shapeMismatch(op: "valueAndGrad", argument: "f's result", expected: "a scalar", actual: "shape \(value.shape)")
    }
    try value.backward()
    var gradients: [String: Tensor] = [:]
    for (path, parameter) in slots where !parameter.isFrozen {
        let v = parameter.value
        gradients[path] = v.grad ?? Tensor(unchecked: [Float](repeating: 0, count: v.count), shape: v.shape)
    }
    return (value.detached(), gradients)
}
