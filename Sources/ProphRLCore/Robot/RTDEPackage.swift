/// Controller version as reported by GET_URCONTROL_VERSION.
public struct RTDEControllerVersion: Equatable, Sendable, CustomStringConvertible {
    /// Major version (5 on e-Series, 3 on CB3).
    public var major: UInt32
    /// Minor version.
    public var minor: UInt32
    /// Bug-fix version.
    public var bugfix: UInt32
    /// Build number.
    public var build: UInt32

    /// Creates a version.
    public init(major: UInt32, minor: UInt32, bugfix: UInt32, build: UInt32) {
        self.major = major; self.minor = minor; self.bugfix = bugfix; self.build = build
    }

    /// The control rate this generation streams at: 500 Hz on e-Series (major ≥ 5), 125 Hz on CB3.
    public var controlFrequency: Double { major >= 5 ? 500 : 125 }

    /// `major.minor.bugfix.build`.
    public var description: String { "\(major).\(minor).\(bugfix).\(build)" }
}

/// A protocol-v2 text message: text, source and level (0 exception, 1 error, 2 warning, 3 info).
public struct RTDETextMessage: Equatable, Sendable {
    /// The message text (at most 255 bytes of UTF-8).
    public var message: String
    /// Who sent it (at most 255 bytes of UTF-8).
    public var source: String
    /// Severity: 0 exception, 1 error, 2 warning, 3 info.
    public var level: UInt8

    /// Creates a text message.
    public init(message: String, source: String, level: UInt8) {
        self.message = message; self.source = source; self.level = level
    }
}

/// One RTDE package (protocol version 2), request or reply, with its big-endian encoding.
///
/// ```swift
/// let frame = try RTDEPackage.requestProtocolVersion(2).encoded()        // 00 05 56 00 02
/// let reply = try RTDEPackage.decode(frame: [0, 4, 0x56, 1], direction: .toClient)
/// // reply == .protocolVersionReply(accepted: true)
/// ```
public enum RTDEPackage: Equatable, Sendable {
    /// `V` request with the wanted protocol version.
    case requestProtocolVersion(UInt16)
    /// `V` reply.
    case protocolVersionReply(accepted: Bool)
    /// `v` request.
    case getControllerVersion
    /// `v` reply.
    case controllerVersion(RTDEControllerVersion)
    /// `M` text message (either direction).
    case textMessage(RTDETextMessage)
    /// `U` data package: recipe id and the fields (decode them with ``RTDERecipe/decode(payload:)``).
    case data(payload: [UInt8])
    /// `O` request: frequency and variable names.
    case setupOutputs(frequency: Double, names: [String])
    /// `O` reply: recipe id and one type word per name.
    case setupOutputsReply(recipeID: UInt8, types: [String])
    /// `I` request: variable names.
    case setupInputs(names: [String])
    /// `I` reply: recipe id and one type word per name.
    case setupInputsReply(recipeID: UInt8, types: [String])
    /// `S` request.
    case start
    /// `S` reply.
    case startReply(accepted: Bool)
    /// `P` request.
    case pause
    /// `P` reply.
    case pauseReply(accepted: Bool)

    /// Largest package the 16-bit size field can describe.
    public static let maximumSize = Int(UInt16.max)

    /// The type byte of this package.
    public var type: RTDEPackageType {
        switch self {
        case .requestProtocolVersion, .protocolVersionReply: return .requestProtocolVersion
        case .getControllerVersion, .controllerVersion: return .getURControlVersion
        case .textMessage: return .textMessage
        case .data: return .dataPackage
        case .setupOutputs, .setupOutputsReply: return .setupOutputs
        case .setupInputs, .setupInputsReply: return .setupInputs
        case .start, .startReply: return .start
        case .pause, .pauseReply: return .pause
        }
    }

    /// The whole frame: `uint16 size` (header included), type byte, payload.
    public func encoded() throws -> [UInt8] {
        var body = BigEndianWriter()
        switch self {
        case .requestProtocolVersion(let version): body.uint16(version)
        case .protocolVersionReply(let accepted), .startReply(let accepted), .pauseReply(let accepted):
            body.uint8(accepted ? 1 : 0)
        case .getControllerVersion, .start, .pause: break
        case .controllerVersion(let v):
            body.uint32(v.major); body.uint32(v.minor); body.uint32(v.bugfix); body.uint32(v.build)
        case .textMessage(let m):
            let text = Array(m.message.utf8), source = Array(m.source.utf8)
            guard text.count <= 255, source.count <= 255 else {
                throw RTDEError.malformedPayload(packageType: type.rawValue,
                                                 reason: "text or source longer than 255 bytes")
            }
            body.uint8(UInt8(text.count)); body.append(contentsOf: text)
            body.uint8(UInt8(source.count)); body.append(contentsOf: source)
            body.uint8(m.level)
        case .data(let payload): body.append(contentsOf: payload)
        case .setupOutputs(let frequency, let names):
            body.double(frequency); body.string(names.joined(separator: ","))
        case .setupInputs(let names): body.string(names.joined(separator: ","))
        case .setupOutputsReply(let id, let types), .setupInputsReply(let id, let types):
            body.uint8(id); body.string(types.joined(separator: ","))
        }
        let size = body.bytes.count + 3
        guard size <= Self.maximumSize else { throw RTDEError.packageTooLarge(size) }
        var frame = BigEndianWriter(capacity: size)
        frame.uint16(UInt16(size))
        frame.uint8(type.rawValue)
        frame.append(contentsOf: body.bytes)
        return frame.bytes
    }

    /// Decodes one complete frame travelling in `direction`; any defect is a typed ``RTDEError``.
    public static func decode(frame: [UInt8], direction: RTDEDirection) throws -> RTDEPackage {
        var header = BigEndianReader(frame, context: "package header")
        let declared = Int(try header.uint16())
        let typeByte = try header.uint8()
        guard declared >= 3, declared == frame.count else {
            throw RTDEError.invalidPackageSize(declared: declared, actual: frame.count)
        }
        guard let type = RTDEPackageType(rawValue: typeByte) else { throw RTDEError.unknownPackageType(typeByte) }
        var reader = BigEndianReader(frame, offset: 3, context: "\(type) payload")
        let package: RTDEPackage
        switch (type, direction) {
        case (.requestProtocolVersion, .toController): package = .requestProtocolVersion(try reader.uint16())
        case (.requestProtocolVersion, .toClient): package = .protocolVersionReply(accepted: try flag(&reader, type))
        case (.getURControlVersion, .toController): package = .getControllerVersion
        case (.getURControlVersion, .toClient):
            package = .controllerVersion(RTDEControllerVersion(major: try reader.uint32(), minor: try reader.uint32(),
                                                               bugfix: try reader.uint32(), build: try reader.uint32()))
        case (.textMessage, _):
            let length = Int(try reader.uint8())
            let text = String(decoding: try reader.take(length), as: UTF8.self)
            let sourceLength = Int(try reader.uint8())
            let source = String(decoding: try reader.take(sourceLength), as: UTF8.self)
            package = .textMessage(RTDETextMessage(message: text, source: source, level: try reader.uint8()))
        case (.dataPackage, _):
            guard reader.remaining >= 1 else {
                throw RTDEError.truncated(context: "data package recipe id", needed: 1, available: 0)
            }
            package = .data(payload: Array(try reader.take(reader.remaining)))
        case (.setupOutputs, .toController):
            let frequency = try reader.double()
            guard frequency.isFinite, frequency > 0 else {
                throw RTDEError.malformedPayload(packageType: typeByte, reason: "frequency \(frequency) is not positive")
            }
            package = .setupOutputs(frequency: frequency, names: RTDEVariables.splitNames(reader.restAsString()))
        case (.setupOutputs, .toClient):
            package = .setupOutputsReply(recipeID: try reader.uint8(),
                                         types: RTDEVariables.splitNames(reader.restAsString()))
        case (.setupInputs, .toController):
            package = .setupInputs(names: RTDEVariables.splitNames(reader.restAsString()))
        case (.setupInputs, .toClient):
            package = .setupInputsReply(recipeID: try reader.uint8(),
                                        types: RTDEVariables.splitNames(reader.restAsString()))
        case (.start, .toController): package = .start
        case (.start, .toClient): package = .startReply(accepted: try flag(&reader, type))
        case (.pause, .toController): package = .pause
        case (.pause, .toClient): package = .pauseReply(accepted: try flag(&reader, type))
        }
        guard reader.remaining == 0 else {
            throw RTDEError.malformedPayload(packageType: typeByte, reason: "\(reader.remaining) trailing bytes")
        }
        return package
    }

    /// Reads the single accepted byte of a V/S/P reply; anything but 0 or 1 is malformed.
    private static func flag(_ reader: inout BigEndianReader, _ type: RTDEPackageType) throws -> Bool {
        let byte = try reader.uint8()
        guard byte <= 1 else {
            throw RTDEError.malformedPayload(packageType: type.rawValue, reason: "accepted flag \(byte) is not 0 or 1")
        }
        return byte == 1
    }
}
