/// The validity mask `M[b, s, c]` of executed actions (rl-math.md §7).
///
/// Positions are flattened in execution order `i = s·CH + c`. A rollout is valid up to **and including**
/// its first done position `i*`; everything after it (the rest of that chunk and all later chunks) and
/// all padding is masked:
///
/// ```swift
/// // rollout 0 finished at its very first action, rollout 1 ran both positions of its only chunk
/// let mask = try TerminationMask(positionDone: [[true, false], [false, false]], outerSteps: 1, chunk: 2)
/// mask.isValid(b: 0, s: 0, c: 1)   // false
/// ```
public struct TerminationMask: Sendable, Equatable {
    /// B.
    public let batch: Int
    /// S.
    public let outerSteps: Int
    /// CH.
    public let chunk: Int
    /// `B·S·CH` flags, c fastest.
    public let valid: [Bool]

    /// Wraps explicit flags.
    /// - Throws: ``ValidationError`` if a size is below 1 or `valid.count != B·S·CH`.
    public init(batch: Int, outerSteps: Int, chunk: Int, valid: [Bool]) throws {
        try Validate.atLeastOne(batch, "batch (B)")
        try Validate.atLeastOne(outerSteps, "outerSteps (S)")
        try Validate.atLeastOne(chunk, "chunk (CH)")
        guard valid.count == batch * outerSteps * chunk else {
            throw ValidationError.shapeMismatch(argument: "valid",
                                                expected: "[B=\(batch), S=\(outerSteps), CH=\(chunk)] = \(batch * outerSteps * chunk) flags",
                                                actual: "\(valid.count) flags")
        }
        self.batch = batch
        self.outerSteps = outerSteps
        self.chunk = chunk
        self.valid = valid
    }

    /// A mask from per-position done flags, the finest granularity (one array per rollout).
    ///
    /// `positionDone[b]` holds one flag per **executed** position in order `s·CH + c`; its length is the
    /// number of executed positions (at most `S·CH`), the rest is padding.
    /// - Throws: ``ValidationError`` if the batch is empty or a rollout reports more than `S·CH` positions.
    public init(positionDone: [[Bool]], outerSteps: Int, chunk: Int) throws {
        guard !positionDone.isEmpty else { throw ValidationError.empty(argument: "positionDone") }
        try Validate.atLeastOne(outerSteps, "outerSteps (S)")
        try Validate.atLeastOne(chunk, "chunk (CH)")
        let capacity = outerSteps * chunk
        var valid: [Bool] = []
        valid.reserveCapacity(positionDone.count * capacity)
        for (b, flags) in positionDone.enumerated() {
            guard flags.count <= capacity else {
                throw ValidationError.shapeMismatch(argument: "positionDone[\(b)]",
                                                    expected: "at most S·CH = \(capacity) positions",
                                                    actual: "\(flags.count) positions")
            }
            let last = flags.firstIndex(of: true) ?? (flags.count - 1)
            for i in 0..<capacity { valid.append(i <= last && i < flags.count) }
        }
        try self.init(batch: positionDone.count, outerSteps: outerSteps, chunk: chunk, valid: valid)
    }

    /// A mask from per-chunk done flags, when the environment judges only at chunk ends (e.g. a
    /// world-model rollout): the whole terminating chunk counts as executed, later chunks are masked.
    ///
    /// `chunkDone[b]` holds one flag per executed chunk (at most `S`).
    /// - Throws: ``ValidationError`` if the batch is empty or a rollout reports more than `S` chunks.
    public init(chunkDone: [[Bool]], outerSteps: Int, chunk: Int) throws {
        guard !chunkDone.isEmpty else { throw ValidationError.empty(argument: "chunkDone") }
        try Validate.atLeastOne(chunk, "chunk (CH)")
        var positions: [[Bool]] = []
        for (b, flags) in chunkDone.enumerated() {
            guard flags.count <= outerSteps else {
                throw ValidationError.shapeMismatch(argument: "chunkDone[\(b)]", expected: "at most S = \(outerSteps) chunks",
                                                    actual: "\(flags.count) chunks")
            }
            // Done at a chunk end = done at the chunk's last position: the whole chunk stays valid.
            positions.append(flags.flatMap { done in (0..<chunk).map { c in done && c == chunk - 1 } })
        }
        try self.init(positionDone: positions, outerSteps: outerSteps, chunk: chunk)
    }

    /// Every position of every rollout valid (no termination, no padding).
    /// - Throws: ``ValidationError`` if a size is below 1.
    public static func allValid(batch: Int, outerSteps: Int, chunk: Int) throws -> TerminationMask {
        try TerminationMask(batch: batch, outerSteps: outerSteps, chunk: chunk,
                            valid: [Bool](repeating: true, count: max(batch * outerSteps * chunk, 0)))
    }

    /// Whether `(b, s, c)` counts in losses.
    @inlinable
    public func isValid(b: Int, s: Int, c: Int) -> Bool { valid[(b * outerSteps + s) * chunk + c] }

    /// The number of valid positions of each rollout (its episode length in actions).
    public var episodeLengths: [Int] {
        let perRollout = outerSteps * chunk
        return (0..<batch).map { b in valid[(b * perRollout)..<((b + 1) * perRollout)].lazy.filter { $0 }.count }
    }

    /// The number of valid `(b, s, c)` entries.
    public var validCount: Int { valid.lazy.filter { $0 }.count }

    /// The fraction of `(b, s, c)` entries that are masked.
    public var maskedFraction: Double { 1 - Double(validCount) / Double(valid.count) }

    /// Throws ``ValidationError/shapeMismatch(argument:expected:actual:)`` unless B, S and CH match `shape`.
    public func validate(against shape: TrajectoryShape, _ argument: String = "mask") throws {
        if batch != shape.batch || outerSteps != shape.outerSteps || chunk != shape.chunk {
            throw ValidationError.shapeMismatch(argument: argument,
                                                expected: "[B=\(shape.batch), S=\(shape.outerSteps), CH=\(shape.chunk)]",
                                                actual: "[B=\(batch), S=\(outerSteps), CH=\(chunk)]")
        }
    }
}
