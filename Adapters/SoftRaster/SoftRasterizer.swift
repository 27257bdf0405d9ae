import ProphRLCore

/// A software rasteriser for ``RenderScene``s: z-buffer, perspective-correct interpolation of object-local
/// coordinates for procedural textures, flat Lambert + ambient shading, 2×2 (configurable) supersampling,
/// plus depth and segmentation. Pure Swift, single-threaded, deterministic.
///
/// ```swift
/// let view = try SoftRasterizer().render(scene, camera: camera)   // view.image is RGB24
/// ```
public struct SoftRasterizer: SceneRenderer {
    /// Samples per pixel along each axis.
    public let supersampling: Int
    /// Near clipping distance (m): triangles with a vertex closer than this are skipped.
    public let near: Double

    /// Creates a rasteriser.
    /// - Throws: ``ValidationError`` naming `supersampling` if it is not in 1...4.
    public init(supersampling: Int = 2, near: Double = 0.02) throws {
        if supersampling < 1 || supersampling > 4 {
            throw ValidationError.outOfRange(argument: "supersampling", expected: "in 1...4", actual: Double(supersampling))
        }
        self.supersampling = supersampling
        self.near = near
    }

    /// Renders `scene` through `camera`.
    public func render(_ scene: RenderScene, camera: SceneCamera) throws -> RenderedView {
        let ss = supersampling
        let w = camera.width * ss, h = camera.height * ss
        var soup = TriangleSoup()
        soup.reserve(scene.primitives.count * 64)
        for (i, primitive) in scene.primitives.enumerated() { soup.add(primitive, index: Int32(i)) }

        var depth = [Double](repeating: .infinity, count: w * h)
        var colour = [Float](repeating: 0, count: w * h * 3)
        var owner = [Int32](repeating: -1, count: w * h)
        let light = (1 / scene.lightDirection.norm) * scene.lightDirection
        let eye = camera.worldToCamera.inverse.position
        let e = camera.worldToCamera, rot = e.rotation, t = e.position
        let fx = camera.fx * Double(ss), fy = camera.fy * Double(ss)
        let cx = (camera.cx + 0.5) * Double(ss) - 0.5, cy = (camera.cy + 0.5) * Double(ss) - 0.5
        let shades: [Vector3] = scene.primitives.map(\.colour)
        let textures = scene.primitives.map(\.texture)

        depth.withUnsafeMutableBufferPointer { zbuf in
        colour.withUnsafeMutableBufferPointer { cbuf in
        owner.withUnsafeMutableBufferPointer { obuf in
            for tri in 0..<soup.owner.count {
                let wv = tri * 9
                let n = Vector3(soup.normals[tri * 3], soup.normals[tri * 3 + 1], soup.normals[tri * 3 + 2])
                let a = Vector3(soup.world[wv], soup.world[wv + 1], soup.world[wv + 2])
                if soup.cullable[tri] && n.dot(eye - a) <= 0 { continue }
                // Camera-space vertices and screen positions (supersampled grid).
                var sx = (0.0, 0.0, 0.0), sy = (0.0, 0.0, 0.0), iz = (0.0, 0.0, 0.0)
                var skip = false
                for k in 0..<3 {
                    let px = soup.world[wv + 3 * k], py = soup.world[wv + 3 * k + 1], pz = soup.world[wv + 3 * k + 2]
                    let cxw = rot.r00 * px + rot.r01 * py + rot.r02 * pz + t.x
                    let cyw = rot.r10 * px + rot.r11 * py + rot.r12 * pz + t.y
                    let czw = rot.r20 * px + rot.r21 * py + rot.r22 * pz + t.z
                    if czw < near { skip = true; break }
                    let u = fx * cxw / czw + cx, v = fy * cyw / czw + cy
                    switch k {
                    case 0: sx.0 = u; sy.0 = v; iz.0 = 1 / czw
                    case 1: sx.1 = u; sy.1 = v; iz.1 = 1 / czw
                    default: sx.2 = u; sy.2 = v; iz.2 = 1 / czw
                    }
                }
                if skip { continue }
                let area = (sx.1 - sx.0) * (sy.2 - sy.0) - (sx.2 - sx.0) * (sy.1 - sy.0)
                if abs(area) < 1e-12 { continue }
                let minX = max(0, Int((min(sx.0, sx.1, sx.2)).rounded(.up)))
                let maxX = min(w - 1, Int((max(sx.0, sx.1, sx.2)).rounded(.down)))
                let minY = max(0, Int((min(sy.0, sy.1, sy.2)).rounded(.up)))
                let maxY = min(h - 1, Int((max(sy.0, sy.1, sy.2)).rounded(.down)))
                if minX > maxX || minY > maxY { continue }
                let id = soup.owner[tri]
                let base = shades[Int(id)], texture = textures[Int(id)]
                let lambert = max(0, n.dot(light))
                let shade = scene.ambient + (1 - scene.ambient) * lambert
                let lv = wv
                let l0 = Vector3(soup.local[lv], soup.local[lv + 1], soup.local[lv + 2])
                let l1 = Vector3(soup.local[lv + 3], soup.local[lv + 4], soup.local[lv + 5])
                let l2 = Vector3(soup.local[lv + 6], soup.local[lv + 7], soup.local[lv + 8])
                let inv = 1 / area
                for y in minY...maxY {
                    let py = Double(y)
                    for x in minX...maxX {
                        let px = Double(x)
                        var b0 = ((sx.1 - px) * (sy.2 - py) - (sx.2 - px) * (sy.1 - py)) * inv
                        var b1 = ((sx.2 - px) * (sy.0 - py) - (sx.0 - px) * (sy.2 - py)) * inv
                        var b2 = 1 - b0 - b1
                        if b0 < 0 || b1 < 0 || b2 < 0 { continue }
                        // Perspective-correct weights: barycentrics over depth, renormalised.
                        let q = b0 * iz.0 + b1 * iz.1 + b2 * iz.2
                        let z = 1 / q
                        let index = y * w + x
                        if z >= zbuf[index] { continue }
                        zbuf[index] = z
                        obuf[index] = id
                        b0 *= iz.0 * z; b1 *= iz.1 * z; b2 *= iz.2 * z
                        let local = Vector3(b0 * l0.x + b1 * l1.x + b2 * l2.x, b0 * l0.y + b1 * l1.y + b2 * l2.y,
                                            b0 * l0.z + b1 * l1.z + b2 * l2.z)
                        let f = shade * SoftRasterizer.textureFactor(texture, local)
                        cbuf[index * 3] = Float(base.x * f)
                        cbuf[index * 3 + 1] = Float(base.y * f)
                        cbuf[index * 3 + 2] = Float(base.z * f)
                    }
                }
            }
        }
        }
        }
        return try resolve(depth: depth, colour: colour, owner: owner, scene: scene, camera: camera)
    }

    /// Averages the supersamples into pixels; depth is the nearest sample, segmentation that sample's owner.
    func resolve(depth: [Double], colour: [Float], owner: [Int32], scene: RenderScene,
                 camera: SceneCamera) throws -> RenderedView {
        let ss = supersampling, w = camera.width * ss
        let bg = scene.background
        var pixels = [UInt8](repeating: 0, count: camera.width * camera.height * 3)
        var outDepth = [Float](repeating: .infinity, count: camera.width * camera.height)
        var segmentation = [UInt8](repeating: 0, count: camera.width * camera.height)
        let segments = scene.primitives.map(\.segment)
        let scale = 1 / Float(ss * ss)
        for y in 0..<camera.height {
            for x in 0..<camera.width {
                var r: Float = 0, g: Float = 0, b: Float = 0
                var nearest = Double.infinity, nearestOwner: Int32 = -1
                for dy in 0..<ss {
                    for dx in 0..<ss {
                        let i = (y * ss + dy) * w + x * ss + dx
                        if owner[i] < 0 {
                            r += Float(bg.x); g += Float(bg.y); b += Float(bg.z)
                        } else {
                            r += colour[i * 3]; g += colour[i * 3 + 1]; b += colour[i * 3 + 2]
                            if depth[i] < nearest { nearest = depth[i]; nearestOwner = owner[i] }
                        }
                    }
                }
                let o = (y * camera.width + x) * 3
                pixels[o] = SoftRasterizer.byte(r * scale)
                pixels[o + 1] = SoftRasterizer.byte(g * scale)
                pixels[o + 2] = SoftRasterizer.byte(b * scale)
                outDepth[y * camera.width + x] = Float(nearest)
                segmentation[y * camera.width + x] = nearestOwner < 0 ? 0 : segments[Int(nearestOwner)]
            }
        }
        return RenderedView(image: try RGBImage(width: camera.width, height: camera.height, pixels: pixels),
                            depth: outDepth, segmentation: segmentation)
    }

    @inline(__always) static func byte(_ v: Float) -> UInt8 { UInt8(min(max(v * 255 + 0.5, 0), 255)) }

    /// Texture brightness factor at a local point.
    @inline(__always) static func textureFactor(_ texture: ScenePrimitive.Texture, _ p: Vector3) -> Double {
        switch texture {
        case .plain:
            return 1
        case .checker(let size):
            let k = Int((p.x / size).rounded(.down)) + Int((p.y / size).rounded(.down)) + Int((p.z / size).rounded(.down))
            return k & 1 == 0 ? 1 : 0.72
        case .stripes(let period):
            return Int((p.z / period).rounded(.down)) & 1 == 0 ? 1 : 0.7
        case .speckle(let size):
            let ix = Int((p.x / size).rounded(.down)), iy = Int((p.y / size).rounded(.down)), iz = Int((p.z / size).rounded(.down))
            var hash = UInt64(bitPattern: Int64(ix &* 73_856_093 ^ iy &* 19_349_663 ^ iz &* 83_492_791))
            hash = (hash ^ (hash >> 31)) &* 0x9E37_79B9_7F4A_7C15
            return 0.75 + 0.25 * Double(hash >> 40) / Double(1 << 24)
        }
    }
}
