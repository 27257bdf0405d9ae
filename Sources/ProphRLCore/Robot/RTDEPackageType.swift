/// The eight RTDE package types; the raw value is the type byte on the wire (an ASCII letter).
public enum RTDEPackageType: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// `V`: protocol version request and its accepted flag.
    case requestProtocolVersion = 86
    /// `v`: controller (URControl) version.
    case getURControlVersion = 118
    /// `M`: text message (exception, error, warning, info).
    case textMessage = 77
    /// `U`: data package of a recipe, in both directions.
    case dataPackage = 85
    /// `O`: output recipe setup.
    case setupOutputs = 79
    /// `I`: input recipe setup.
    case setupInputs = 73
    /// `S`: start streaming.
    case start = 83
    /// `P`: pause streaming.
    case pause = 80

    /// The type's name as in UR's RTDE guide.
    public var description: String {
        switch self {
        case .requestProtocolVersion: return "REQUEST_PROTOCOL_VERSION"
        case .getURControlVersion: return "GET_URCONTROL_VERSION"
        case .textMessage: return "TEXT_MESSAGE"
        case .dataPackage: return "DATA_PACKAGE"
        case .setupOutputs: return "CONTROL_PACKAGE_SETUP_OUTPUTS"
        case .setupInputs: return "CONTROL_PACKAGE_SETUP_INPUTS"
        case .start: return "CONTROL_PACKAGE_START"
        case .pause: return "CONTROL_PACKAGE_PAUSE"
        }
    }
}

/// Which way a package travels; the same type byte carries a request towards the controller and its reply.
public enum RTDEDirection: Sendable, Equatable {
    /// Client → controller (requests, input data).
    case toController
    /// Controller → client (replies, output data, text messages).
    case toClient
}
