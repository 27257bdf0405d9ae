/// A typed failure of the RTDE protocol layer: malformed, truncated or unexpected input, refusals and I/O.
///
/// Every case carries the offending value so the message alone explains what went wrong:
///
/// ```swift
/// do { _ = try RTDEPackage.decode(frame: [0x00, 0x02, 0x56], direction: .toClient) }
/// catch let error as RTDEError { print(error) }   // "RTDE package size 2 is below the 3-byte header"
/// ```
public enum RTDEError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Fewer bytes arrived than the structure being read requires.
    case truncated(context: String, needed: Int, available: Int)
    /// The 16-bit size field is smaller than the header or disagrees with the frame length.
    case invalidPackageSize(declared: Int, actual: Int)
    /// The type byte is not one of the eight RTDE package types.
    case unknownPackageType(UInt8)
    /// A package of another type arrived where `expected` was required.
    case unexpectedPackage(expected: String, actual: UInt8)
    /// A package of a known type whose payload cannot be parsed.
    case malformedPayload(packageType: UInt8, reason: String)
    /// A data package named a recipe id that was never set up on this connection.
    case unknownRecipe(UInt8)
    /// The controller answered `NOT_FOUND` for these variable names.
    case variablesNotFound([String])
    /// The controller answered `IN_USE` for these input variable names.
    case variablesInUse([String])
    /// A variable name is absent from the RTDE variable table.
    case unknownVariable(String)
    /// A value has another wire type than its variable requires.
    case valueTypeMismatch(name: String, expected: String, actual: String)
    /// The controller refused the requested protocol version.
    case protocolVersionRefused(UInt16)
    /// The controller refused to start or pause streaming.
    case requestRefused(String)
    /// A package would exceed the 65 535-byte limit of the size field.
    case packageTooLarge(Int)
    /// No complete package arrived within the time limit.
    case timeout(operation: String, seconds: Double)
    /// The peer closed the connection.
    case connectionClosed(String)
    /// A socket call failed with an operating-system error number.
    case socket(operation: String, errno: Int32)
    /// The state stream stopped: the newest package is older than allowed.
    case stale(ageSeconds: Double, limitSeconds: Double)
    /// The peer replied with text that does not fit the protocol (dashboard or script ports).
    case unexpectedReply(command: String, reply: String)

    /// A one-line message naming the offending value.
    public var description: String {
        switch self {
        case .truncated(let context, let needed, let available):
            return "RTDE \(context): needed \(needed) bytes, got \(available)"
        case .invalidPackageSize(let declared, let actual):
            if declared < 3 { return "RTDE package size \(declared) is below the 3-byte header" }
            return "RTDE package size field says \(declared) bytes, frame has \(actual)"
        case .unknownPackageType(let type):
            return "RTDE unknown package type \(type)"
        case .unexpectedPackage(let expected, let actual):
            return "RTDE expected \(expected), got package type \(actual)"
        case .malformedPayload(let type, let reason):
            return "RTDE malformed payload in package type \(type): \(reason)"
        case .unknownRecipe(let id):
            return "RTDE data package for unknown recipe id \(id)"
        case .variablesNotFound(let names):
            return "RTDE variables not found by the controller: \(names.joined(separator: ", "))"
        case .variablesInUse(let names):
            return "RTDE input variables in use by another client: \(names.joined(separator: ", "))"
        case .unknownVariable(let name):
            return "RTDE unknown variable \(name)"
        case .valueTypeMismatch(let name, let expected, let actual):
            return "RTDE variable \(name): expected \(expected), got \(actual)"
        case .protocolVersionRefused(let version):
            return "RTDE controller refused protocol version \(version)"
        case .requestRefused(let request):
            return "RTDE controller refused \(request)"
        case .packageTooLarge(let size):
            return "RTDE package of \(size) bytes exceeds 65535"
        case .timeout(let operation, let seconds):
            return "RTDE \(operation): no answer within \(seconds) s"
        case .connectionClosed(let context):
            return "RTDE connection closed by peer during \(context)"
        case .socket(let operation, let errno):
            return "socket \(operation) failed with errno \(errno)"
        case .stale(let age, let limit):
            return "RTDE state is \(age) s old, limit \(limit) s"
        case .unexpectedReply(let command, let reply):
            return "unexpected reply to \(command): \(reply)"
        }
    }
}
