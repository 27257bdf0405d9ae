/// A typed error thrown by a public entry point of the core when its input is invalid.
///
/// Every case names the offending argument and says what was expected and what arrived, so a
/// user can fix the call without reading the source:
///
/// ```swift
/// do { _ = try GroupAdvantages.compute(rewards: [], groupSize: 8) }
/// catch let error as ValidationError { print(error) }   // "rewards: must not be empty"
/// ```
public enum ValidationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A count or shape differs from the one the call requires.
    case shapeMismatch(argument: String, expected: String, actual: String)
    /// A collection that must hold at least one element is empty.
    case empty(argument: String)
    /// A value is NaN or infinite; `index` is its flat position (0 for a scalar).
    case nonFinite(argument: String, index: Int, value: Double)
    /// A value lies outside its allowed range.
    case outOfRange(argument: String, expected: String, actual: Double)
    /// Any other violated precondition, in words.
    case invalid(argument: String, reason: String)

    /// The name of the argument that was wrong.
    public var argument: String {
        switch self {
        case .shapeMismatch(let argument, _, _), .empty(let argument),
             .nonFinite(let argument, _, _), .outOfRange(let argument, _, _),
             .invalid(let argument, _):
            return argument
        }
    }

    /// A one-line message naming the argument, the expectation and the actual value.
    public var description: String {
        switch self {
        case .shapeMismatch(let argument, let expected, let actual):
            return "\(argument): expected shape \(expected), got \(actual)"
        case .empty(let argument):
            return "\(argument): must not be empty"
        case .nonFinite(let argument, let index, let value):
            return "\(argument): expected finite values, got \(value) at index \(index)"
        case .outOfRange(let argument, let expected, let actual):
            return "\(argument): expected \(expected), got \(actual)"
        case .invalid(let argument, let reason):
            return "\(argument): \(reason)"
        }
    }
}

// MARK: - Checks shared by the core's entry points

/// Small validation helpers that throw ``ValidationError``; the core calls them at every public boundary.
public enum Validate {
    /// Throws ``ValidationError/nonFinite(argument:index:value:)`` at the first NaN or infinity.
    @inlinable
    public static func finite<C: Collection>(_ values: C, _ argument: String) throws
    where C.Element: BinaryFloatingPoint {
        var index = 0
        for value in values {
            if !value.isFinite {
                throw ValidationError.nonFinite(argument: argument, index: index, value: Double(value))
            }
            index += 1
        }
    }

    /// Throws ``ValidationError/nonFinite(argument:index:value:)`` if the scalar is NaN or infinite.
    @inlinable
    public static func finite<F: BinaryFloatingPoint>(_ value: F, _ argument: String) throws {
        if !value.isFinite {
            throw ValidationError.nonFinite(argument: argument, index: 0, value: Double(value))
        }
    }

    /// Throws ``ValidationError/shapeMismatch(argument:expected:actual:)`` unless `count == expected`.
    @inlinable
    public static func count(_ count: Int, equals expected: Int, _ argument: String) throws {
        if count != expected {
            throw ValidationError.shapeMismatch(argument: argument, expected: "\(expected) elements",
                                               actual: "\(count) elements")
        }
    }

    /// Throws ``ValidationError/outOfRange(argument:expected:actual:)`` unless `value > 0`.
    @inlinable
    public static func positive<F: BinaryFloatingPoint>(_ value: F, _ argument: String) throws {
        try finite(value, argument)
        if !(value > 0) {
            throw ValidationError.outOfRange(argument: argument, expected: "> 0", actual: Double(value))
        }
    }

    /// Throws ``ValidationError/outOfRange(argument:expected:actual:)`` unless `value >= 1`.
    @inlinable
    public static func atLeastOne(_ value: Int, _ argument: String) throws {
        if value < 1 {
            throw ValidationError.outOfRange(argument: argument, expected: ">= 1", actual: Double(value))
        }
    }

    /// Throws ``ValidationError/outOfRange(argument:expected:actual:)`` unless `lower <= value <= upper`.
    @inlinable
    public static func inRange<F: BinaryFloatingPoint>(_ value: F, _ lower: F, _ upper: F,
                                                        _ argument: String) throws {
        try finite(value, argument)
        if value < lower || value > upper {
            throw ValidationError.outOfRange(argument: argument, expected: "in [\(lower), \(upper)]",
                                             actual: Double(value))
        }
    }
}
