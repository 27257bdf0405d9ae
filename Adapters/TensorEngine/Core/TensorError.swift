/// A typed error thrown by a tensor operation whose arguments do not fit together.
///
/// Every case names the operation and argument, what was expected and what arrived:
///
/// ```swift
/// do { _ = try a.matmul(b) } catch let error as TensorError { print(error) }
/// // "matmul: other: expected inner dimension 3, got [4, 5]"
/// ```
public enum TensorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Two shapes that must agree (or broadcast) do not.
    case shapeMismatch(op: String, argument: String, expected: String, actual: String)
    /// An axis lies outside the tensor's rank.
    case invalidAxis(op: String, axis: Int, rank: Int)
    /// Any other invalid argument, in words.
    case invalidArgument(op: String, argument: String, reason: String)
    /// A tensor read from a file or dictionary has the wrong dtype.
    case unsupportedDType(name: String, dtype: String)
    /// A parameter or state key is missing from a dictionary.
    case missingKey(op: String, key: String)

    /// A one-line message naming the operation, the argument, the expectation and the actual value.
    public var description: String {
        switch self {
        case .shapeMismatch(let op, let argument, let expected, let actual):
            return "\(op): \(argument): expected \(expected), got \(actual)"
        case .invalidAxis(let op, let axis, let rank):
            return "\(op): axis \(axis) is out of range for a tensor of rank \(rank)"
        case .invalidArgument(let op, let argument, let reason):
            return "\(op): \(argument): \(reason)"
        case .unsupportedDType(let name, let dtype):
            return "\(name): dtype \(dtype) is not supported here (expected F32, F16 or BF16)"
        case .missingKey(let op, let key):
            return "\(op): missing key \(key)"
        }
    }
}
