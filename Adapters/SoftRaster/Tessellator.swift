import Foundation
import ProphRLCore

/// Triangles of the scene in world space, with object-local coordinates for textures and a face normal.
struct TriangleSoup {
    /// 9 world coordinates per triangle.
    var world: [Double] = []
    /// 9 local coordinates per triangle.
    var local: [Double] = []
    /// 3 normal components per triangle (world).
    var normals: [Double] = []
    /// Primitive index per triangle.
    var owner: [Int32] = []
    /// Whether a triangle may be back-face culled (closed solids).
    var cullable: [Bool] = []

    /// Segments around a cylinder or disk.
    static let segments = 16
    /// Unit circle points of the segments (closed: the last equals the first).
    static let circle: [(Double, Double)] = (0...segments).map {
        let a = Double($0) * 2 * Double.pi / Double(segments)
        return (cos(a), sin(a))
    }

    mutating func reserve(_ triangles: Int) {
        world.reserveCapacity(triangles * 9)
        local.reserveCapacity(triangles * 9)
        normals.reserveCapacity(triangles * 3)
        owner.reserveCapacity(triangles)
        cullable.reserveCapacity(triangles)
    }

    /// Adds one triangle given local vertices, transformed by `pose`.
    mutating func add(_ a: Vector3, _ b: Vector3, _ c: Vector3, pose: Pose, owner index: Int32, cull: Bool) {
        let wa = pose.apply(a), wb = pose.apply(b), wc = pose.apply(c)
        let n = (wb - wa).cross(wc - wa)
        let length = n.norm
        guard length > 0 else { return }
        world += [wa.x, wa.y, wa.z, wb.x, wb.y, wb.z, wc.x, wc.y, wc.z]
        local += [a.x, a.y, a.z, b.x, b.y, b.z, c.x, c.y, c.z]
        normals += [n.x / length, n.y / length, n.z / length]
        owner.append(index)
        cullable.append(cull)
    }

    /// Adds a quad (a, b, c, d counter-clockwise seen from outside).
    mutating func quad(_ a: Vector3, _ b: Vector3, _ c: Vector3, _ d: Vector3, pose: Pose, owner: Int32) {
        add(a, b, c, pose: pose, owner: owner, cull: true)
        add(a, c, d, pose: pose, owner: owner, cull: true)
    }

    /// Tessellates one primitive.
    mutating func add(_ primitive: ScenePrimitive, index: Int32) {
        let pose = primitive.pose
        switch primitive.geometry {
        case .box(let h):
            let v = { (x: Double, y: Double, z: Double) in Vector3(x * h.x, y * h.y, z * h.z) }
            quad(v(-1, -1, 1), v(1, -1, 1), v(1, 1, 1), v(-1, 1, 1), pose: pose, owner: index)      // +z
            quad(v(-1, -1, -1), v(-1, 1, -1), v(1, 1, -1), v(1, -1, -1), pose: pose, owner: index)  // -z
            quad(v(1, -1, -1), v(1, 1, -1), v(1, 1, 1), v(1, -1, 1), pose: pose, owner: index)      // +x
            quad(v(-1, -1, -1), v(-1, -1, 1), v(-1, 1, 1), v(-1, 1, -1), pose: pose, owner: index)  // -x
            quad(v(-1, 1, -1), v(-1, 1, 1), v(1, 1, 1), v(1, 1, -1), pose: pose, owner: index)      // +y
            quad(v(-1, -1, -1), v(1, -1, -1), v(1, -1, 1), v(-1, -1, 1), pose: pose, owner: index)  // -y
        case .cylinder(let r, let hh):
            let n = TriangleSoup.segments
            for k in 0..<n {
                let c0 = TriangleSoup.circle[k], c1 = TriangleSoup.circle[k + 1]
                let p0 = Vector3(r * c0.0, r * c0.1, 0), p1 = Vector3(r * c1.0, r * c1.1, 0)
                let top = Vector3(0, 0, hh), bottom = Vector3(0, 0, -hh)
                quad(p0 + bottom, p1 + bottom, p1 + top, p0 + top, pose: pose, owner: index)
                add(top, p0 + top, p1 + top, pose: pose, owner: index, cull: true)
                add(bottom, p1 + bottom, p0 + bottom, pose: pose, owner: index, cull: true)
            }
        case .disk(let r):
            let n = TriangleSoup.segments
            for k in 0..<n {
                let c0 = TriangleSoup.circle[k], c1 = TriangleSoup.circle[k + 1]
                add(.zero, Vector3(r * c0.0, r * c0.1, 0), Vector3(r * c1.0, r * c1.1, 0),
                    pose: pose, owner: index, cull: false)
            }
        }
    }
}
