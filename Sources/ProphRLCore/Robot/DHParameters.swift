/// Standard Denavit–Hartenberg parameters of a six-joint UR arm (UR convention, base frame).
public struct DHParameters: Equatable, Sendable {
    /// Link lengths a_i (m).
    public var a: [Double]
    /// Link offsets d_i (m).
    public var d: [Double]
    /// Link twists α_i (rad).
    public var alpha: [Double]

    /// Creates a table; each array must have six finite entries.
    public init(a: [Double], d: [Double], alpha: [Double]) throws {
        for (values, name) in [(a, "a"), (d, "d"), (alpha, "alpha")] {
            try Validate.count(values.count, equals: 6, name)
            try Validate.finite(values, name)
        }
        self.a = a; self.d = d; self.alpha = alpha
    }

    private init(uncheckedA a: [Double], d: [Double], alpha: [Double]) {
        self.a = a; self.d = d; self.alpha = alpha
    }

    /// UR30 nominal DH (robot.md §6.1, from `Universal_Robots_ROS2_Description` ur30 kinematics).
    public static let ur30 = DHParameters(uncheckedA: [0, -0.6370, -0.5037, 0, 0, 0],
                                          d: [0.2363, 0, 0, 0.2010, 0.1593, 0.1543],
                                          alpha: [Double.pi / 2, 0, 0, Double.pi / 2, -Double.pi / 2, 0])

    /// UR5e nominal DH, used as a cross-check of the FK code.
    public static let ur5e = DHParameters(uncheckedA: [0, -0.425, -0.3922, 0, 0, 0],
                                          d: [0.1625, 0, 0, 0.1333, 0.0997, 0.0996],
                                          alpha: [Double.pi / 2, 0, 0, Double.pi / 2, -Double.pi / 2, 0])
}
