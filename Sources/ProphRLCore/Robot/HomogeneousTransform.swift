import RealModule

/// A rigid transform: 3×3 rotation (row-major) and translation; converts to and from UR pose 6-vectors.
///
/// UR poses are `[x, y, z, rx, ry, rz]`: position in metres and a rotation vector (axis × angle, rad).
public struct HomogeneousTransform: Equatable, Sendable {
    /// Row-major 3×3 rotation matrix.
    public var rotation: [Double]
    /// Translation (m).
    public var translation: [Double]

    /// The identity transform.
    public static let identity = HomogeneousTransform(rotation: [1, 0, 0, 0, 1, 0, 0, 0, 1], translation: [0, 0, 0])

    /// Creates a transform from a row-major rotation and a translation.
    public init(rotation: [Double], translation: [Double]) {
        self.rotation = rotation
        self.translation = translation
    }

    /// Creates a transform from a UR pose `[x, y, z, rx, ry, rz]`.
    public init(pose: [Double]) throws {
        try Validate.count(pose.count, equals: 6, "pose")
        try Validate.finite(pose, "pose")
        self.init(rotation: Self.matrix(rotationVector: Array(pose[3..<6])), translation: Array(pose[0..<3]))
    }

    /// The UR pose `[x, y, z, rx, ry, rz]` of this transform.
    public var pose: [Double] { translation + Self.rotationVector(matrix: rotation) }

    /// Composition `self · other`.
    public static func * (lhs: HomogeneousTransform, rhs: HomogeneousTransform) -> HomogeneousTransform {
        let r = multiply(lhs.rotation, rhs.rotation)
        var t = [Double](repeating: 0, count: 3)
        for i in 0..<3 {
            t[i] = lhs.translation[i]
            for k in 0..<3 { t[i] += lhs.rotation[3 * i + k] * rhs.translation[k] }
        }
        return HomogeneousTransform(rotation: r, translation: t)
    }

    /// Row-major 3×3 product.
    public static func multiply(_ a: [Double], _ b: [Double]) -> [Double] {
        var c = [Double](repeating: 0, count: 9)
        for i in 0..<3 { for j in 0..<3 { for k in 0..<3 { c[3 * i + j] += a[3 * i + k] * b[3 * k + j] } } }
        return c
    }

    /// Transpose of a row-major 3×3 matrix (the inverse of a rotation).
    public static func transpose(_ a: [Double]) -> [Double] {
        [a[0], a[3], a[6], a[1], a[4], a[7], a[2], a[5], a[8]]
    }

    /// Rodrigues' formula: rotation vector → row-major matrix.
    public static func matrix(rotationVector v: [Double]) -> [Double] {
        let angle = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).squareRoot()
        guard angle > 1e-12 else { return [1, -v[2], v[1], v[2], 1, -v[0], -v[1], v[0], 1] }
        let x = v[0] / angle, y = v[1] / angle, z = v[2] / angle
        let c = Double.cos(angle), s = Double.sin(angle), t = 1 - c
        return [t * x * x + c, t * x * y - s * z, t * x * z + s * y,
                t * x * y + s * z, t * y * y + c, t * y * z - s * x,
                t * x * z - s * y, t * y * z + s * x, t * z * z + c]
    }

    /// Row-major rotation matrix → rotation vector with angle in [0, π].
    public static func rotationVector(matrix r: [Double]) -> [Double] {
        let cosine = min(1, max(-1, (r[0] + r[4] + r[8] - 1) / 2))
        let angle = Double.acos(cosine)
        let skew = [r[7] - r[5], r[2] - r[6], r[3] - r[1]]
        if angle < 1e-9 { return skew.map { $0 / 2 } }
        if Double.pi - angle > 1e-6 {
            let scale = angle / (2 * Double.sin(angle))
            return skew.map { $0 * scale }
        }
        // Near π the skew part vanishes: recover the axis from the symmetric part R = 2uuᵀ − I.
        let diagonal = [r[0], r[4], r[8]]
        let k = diagonal.indices.max { diagonal[$0] < diagonal[$1] } ?? 0
        var axis = [Double](repeating: 0, count: 3)
        axis[k] = ((diagonal[k] + 1) / 2).squareRoot()
        for j in 0..<3 where j != k { axis[j] = (r[3 * k + j] + r[3 * j + k]) / (4 * axis[k]) }
        // Pick the sign that agrees with the (tiny) skew part so nearby rotations map continuously.
        let dot = axis[0] * skew[0] + axis[1] * skew[1] + axis[2] * skew[2]
        let sign: Double = dot < 0 ? -1 : 1
        let norm = (axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]).squareRoot()
        return axis.map { sign * $0 / norm * angle }
    }

    /// The rotation vector taking orientation `from` to `to` in the base frame: log(R_to · R_fromᵀ).
    public static func rotationError(from: [Double], to: [Double]) -> [Double] {
        rotationVector(matrix: multiply(to, transpose(from)))
    }
}
