/// Joint position and speed limits of an arm (rad, rad/s).
public struct JointLimits: Equatable, Sendable {
    /// Lower position limit per joint (rad).
    public var lower: [Double]
    /// Upper position limit per joint (rad).
    public var upper: [Double]
    /// Maximum speed per joint (rad/s).
    public var maxSpeed: [Double]

    /// Creates limits; six finite entries each, lower < upper, positive speeds.
    public init(lower: [Double], upper: [Double], maxSpeed: [Double]) throws {
        for (values, name) in [(lower, "lower"), (upper, "upper"), (maxSpeed, "maxSpeed")] {
            try Validate.count(values.count, equals: 6, name)
            try Validate.finite(values, name)
        }
        for i in 0..<6 where !(lower[i] < upper[i]) {
            throw ValidationError.invalid(argument: "lower", reason: "joint \(i): lower \(lower[i]) must be below upper \(upper[i])")
        }
        for (i, speed) in maxSpeed.enumerated() where speed <= 0 {
            throw ValidationError.outOfRange(argument: "maxSpeed[\(i)]", expected: "> 0", actual: speed)
        }
        self.lower = lower; self.upper = upper; self.maxSpeed = maxSpeed
    }

    private init(unchecked lower: [Double], upper: [Double], maxSpeed: [Double]) {
        self.lower = lower; self.upper = upper; self.maxSpeed = maxSpeed
    }

    /// UR30 hardware limits: ±360° on every joint; 120, 120, 150, 210, 210, 210 °/s (robot.md §6.3).
    public static let ur30 = JointLimits(
        unchecked: [Double](repeating: -2 * Double.pi, count: 6),
        upper: [Double](repeating: 2 * Double.pi, count: 6),
        maxSpeed: [120, 120, 150, 210, 210, 210].map { $0 * Double.pi / 180 })
}
