/// A chunk of CH consecutive actions for up to `maxEffectors` (Nmax) end effectors, stored as
/// Float in the layout the RL core uses.
///
/// Storage is row-major `[CH, Nmax, 7]` (the 7 action values fastest), which read as a matrix is
/// `[CH, D]` with `D = Nmax·7`: row `c` holds effector 0's 7 values, then effector 1's, and so on.
/// With one effector this is exactly rl-math.md's `[CH, D = 7]`. A validity mask of length Nmax
/// marks the effectors that exist; the slots of the others are padding, always exactly zero,
/// and ``elementMask`` excludes them from losses.
public struct ActionChunk: Sendable, Equatable {
    /// Number of actions in the chunk (CH).
    public let steps: Int
    /// Number of effector slots (Nmax), valid and padded.
    public let maxEffectors: Int
    /// `validity[n]` is true when slot `n` holds a real end effector.
    public let validity: [Bool]
    /// `steps · maxEffectors · 7` values in `[CH, Nmax, 7]` order; padded slots are zero.
    public let values: [Float]

    /// Values per effector and step.
    public static let actionDimension = EndEffectorAction.dimension

    /// Creates a chunk from flat `[CH, Nmax, 7]` values; padded slots are overwritten with zeros.
    /// - Throws: ``ValidationError`` naming `steps` or `maxEffectors` if not ≥ 1, `validity` if its
    ///   count is not `maxEffectors` or no slot is valid, `values` for a wrong count or a
    ///   non-finite value in a valid slot.
    public init(steps: Int, maxEffectors: Int, values: [Float], validity: [Bool]) throws {
        try Validate.atLeastOne(steps, "steps")
        try Validate.atLeastOne(maxEffectors, "maxEffectors")
        try Validate.count(validity.count, equals: maxEffectors, "validity")
        if !validity.contains(true) {
            throw ValidationError.invalid(argument: "validity", reason: "expected at least one valid effector, got none")
        }
        let d = ActionChunk.actionDimension
        if values.count != steps * maxEffectors * d {
            throw ValidationError.shapeMismatch(argument: "values", expected: "[\(steps), \(maxEffectors), \(d)]",
                                                actual: "\(values.count) elements")
        }
        var cleaned = values
        for index in cleaned.indices {
            let slot = (index / d) % maxEffectors
            if !validity[slot] {
                cleaned[index] = 0
            } else if !cleaned[index].isFinite {
                throw ValidationError.nonFinite(argument: "values", index: index, value: Double(cleaned[index]))
            }
        }
        self.steps = steps
        self.maxEffectors = maxEffectors
        self.validity = validity
        self.values = cleaned
    }

    /// Creates a chunk from `actions[c][n]` for N ≤ Nmax real effectors, padded to `maxEffectors`
    /// slots (slots `N..<Nmax` invalid and zero).
    /// - Throws: ``ValidationError`` naming `actions` if it is empty, ragged, has no effector, more
    ///   than `maxEffectors` effectors or a value that overflows Float.
    public init(actions: [[EndEffectorAction]], maxEffectors: Int) throws {
        if actions.isEmpty { throw ValidationError.empty(argument: "actions") }
        try Validate.atLeastOne(maxEffectors, "maxEffectors")
        let effectors = actions[0].count
        if effectors == 0 { throw ValidationError.empty(argument: "actions[0]") }
        if effectors > maxEffectors {
            throw ValidationError.shapeMismatch(argument: "actions", expected: "at most \(maxEffectors) effectors per step",
                                                actual: "\(effectors) effectors")
        }
        let d = ActionChunk.actionDimension
        var values = [Float](repeating: 0, count: actions.count * maxEffectors * d)
        for (c, row) in actions.enumerated() {
            try Validate.count(row.count, equals: effectors, "actions[\(c)]")
            for (n, action) in row.enumerated() {
                for (k, value) in action.values.enumerated() {
                    values[(c * maxEffectors + n) * d + k] = Float(value)
                }
            }
        }
        try self.init(steps: actions.count, maxEffectors: maxEffectors, values: values,
                      validity: (0..<maxEffectors).map { $0 < effectors })
    }

    /// Width of one row of ``flat``: `Nmax · 7`.
    public var flatDimension: Int { maxEffectors * ActionChunk.actionDimension }

    /// The values as a `[CH, Nmax·7]` matrix, row-major (identical to ``values``).
    public var flat: [Float] { values }

    /// Number of real effectors.
    public var validEffectorCount: Int { validity.filter { $0 }.count }

    /// 1 for the elements of valid effectors, 0 for padding, in the layout of ``flat``; multiply a
    /// per-element loss by it (and normalise by its sum) so padding never counts.
    public var elementMask: [Float] {
        let row = validity.flatMap { [Float](repeating: $0 ? 1 : 0, count: ActionChunk.actionDimension) }
        return [[Float]](repeating: row, count: steps).flatMap { $0 }
    }

    /// The `[CH, 7]` values of effector slot `effector`.
    /// - Throws: ``ValidationError`` naming `effector` if it is not in `0..<maxEffectors`.
    public func flat(effector: Int) throws -> [Float] {
        try checkEffector(effector)
        let d = ActionChunk.actionDimension
        return (0..<steps).flatMap { c in
            let start = (c * maxEffectors + effector) * d
            return Array(values[start..<start + d])
        }
    }

    /// The action of slot `effector` at step `step`, or `nil` for a padded slot.
    /// - Throws: ``ValidationError`` naming `step` or `effector` if out of range.
    public func action(step: Int, effector: Int) throws -> EndEffectorAction? {
        if step < 0 || step >= steps {
            throw ValidationError.outOfRange(argument: "step", expected: "in 0..<\(steps)", actual: Double(step))
        }
        try checkEffector(effector)
        guard validity[effector] else { return nil }
        let start = (step * maxEffectors + effector) * ActionChunk.actionDimension
        return EndEffectorAction(unchecked: values[start..<start + ActionChunk.actionDimension].map { Double($0) })
    }

    private func checkEffector(_ effector: Int) throws {
        if effector < 0 || effector >= maxEffectors {
            throw ValidationError.outOfRange(argument: "effector", expected: "in 0..<\(maxEffectors)",
                                             actual: Double(effector))
        }
    }
}
