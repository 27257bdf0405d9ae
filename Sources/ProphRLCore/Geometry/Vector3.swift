import RealModule

/// A 3-vector of Doubles (a position in metres, a rotation vector in radians, an axis).
///
/// Kept free of `SIMD3` so the core has one portable, `Equatable` representation that prints
/// and serialises plainly.
public struct Vector3: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// First component.
    public var x: Double
    /// Second component.
    public var y: Double
    /// Third component.
    public var z: Double

    /// Creates a vector from its components (no validation; see ``init(validating:_:)``).
    public init(_ x: Double, _ y: Double, _ z: Double) {
        self.x = x; self.y = y; self.z = z
    }

    /// Creates a vector from a 3-element array, rejecting a wrong count or non-finite values.
    /// - Throws: ``ValidationError`` naming `argument`.
    public init(validating values: [Double], _ argument: String) throws {
        try Validate.count(values.count, equals: 3, argument)
        try Validate.finite(values, argument)
        self.init(values[0], values[1], values[2])
    }

    /// The zero vector.
    public static let zero = Vector3(0, 0, 0)

    /// The components as `[x, y, z]`.
    public var array: [Double] { [x, y, z] }

    /// Whether all three components are finite.
    public var isFinite: Bool { x.isFinite && y.isFinite && z.isFinite }

    /// Euclidean length.
    public var norm: Double { (x * x + y * y + z * z).squareRoot() }

    /// Dot product.
    public func dot(_ other: Vector3) -> Double { x * other.x + y * other.y + z * other.z }

    /// Cross product `self × other`.
    public func cross(_ other: Vector3) -> Vector3 {
        Vector3(y * other.z - z * other.y, z * other.x - x * other.z, x * other.y - y * other.x)
    }

    /// Component-wise sum.
    public static func + (a: Vector3, b: Vector3) -> Vector3 { Vector3(a.x + b.x, a.y + b.y, a.z + b.z) }
    /// Component-wise difference.
    public static func - (a: Vector3, b: Vector3) -> Vector3 { Vector3(a.x - b.x, a.y - b.y, a.z - b.z) }
    /// Negation.
    public static prefix func - (a: Vector3) -> Vector3 { Vector3(-a.x, -a.y, -a.z) }
    /// Scaling by a scalar.
    public static func * (s: Double, a: Vector3) -> Vector3 { Vector3(s * a.x, s * a.y, s * a.z) }

    /// `(x, y, z)`.
    public var description: String { "(\(x), \(y), \(z))" }
}
