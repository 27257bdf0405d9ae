import BulletSimulator
import Foundation
import PNGImage
import ProphRLCore
import ProphRLTesting
import SoftRaster
import Testing

@Suite("Software camera and Bullet environment")
struct RendererTests {
    @Test func projectionOfAKnownPointLandsOnTheExpectedPixel() throws {
        // Camera at the origin looking along +x; OpenCV axes: image x = −world y, image y = −world z.
        let camera = try SceneCamera(width: 64, height: 48, fx: 50, fy: 60, cx: 31.5, cy: 23.5,
                                       worldToCamera: SceneCamera.lookAt(eye: .zero, target: Vector3(1, 0, 0)))
        let p = try #require(camera.project(Vector3(2, -0.4, 0.2)))
        #expect(abs(p.u - (31.5 + 50 * 0.4 / 2)) < 1e-12)
        #expect(abs(p.v - (23.5 - 60 * 0.2 / 2)) < 1e-12)
        #expect(abs(p.depth - 2) < 1e-12)
        #expect(camera.project(Vector3(-1, 0, 0)) == nil, "points behind the camera do not project")
        let d455 = try SceneCamera.d455(width: 64, height: 64, eye: Vector3(-1.5, 0, 0.8), target: Vector3(-0.6, 0.1, 0))
        let centre = try #require(d455.project(Vector3(-0.6, 0.1, 0)))
        #expect(abs(centre.u - 31.5) < 1e-9 && abs(centre.v - 31.5) < 1e-9)
    }

    @Test func aRenderedBoxCoversItsProjectedCornersWithDepthAndSegment() throws {
        let camera = try SceneCamera.d455(width: 64, height: 64, eye: Vector3(-1, 0, 0.5), target: .zero)
        let box = ScenePrimitive(geometry: .box(halfExtents: Vector3(0.1, 0.1, 0.1)),
                                 pose: try Pose(position: Vector3(0, 0, 0), rotation: .identity),
                                 colour: Vector3(1, 0, 0), segment: 7)
        let view = try SoftRasterizer().render(RenderScene(primitives: [box]), camera: camera)
        let centre = try #require(camera.project(.zero))
        let i = Int(centre.v.rounded()) * 64 + Int(centre.u.rounded())
        #expect(view.segmentation[i] == 7)
        #expect(view.image.pixels[i * 3] > 60 && view.image.pixels[i * 3 + 1] == 0)
        // Depth at the centre is the distance to the box's front faces along the optical axis.
        let eyeDistance = Vector3(-1, 0, 0.5).norm
        #expect(Double(view.depth[i]) < eyeDistance && Double(view.depth[i]) > eyeDistance - 0.2)
        // Pixels far outside the projected box are background.
        #expect(view.segmentation[0] == 0 && view.depth[0] == .infinity)
        // Coverage matches the count of pixels whose centre ray hits the box (independent ray caster).
        var expected = 0
        let inverse = camera.worldToCamera.inverse
        for v in 0..<64 {
            for u in 0..<64 {
                let dirCam = Vector3((Double(u) - camera.cx) / camera.fx, (Double(v) - camera.cy) / camera.fy, 1)
                let dir = inverse.rotation.apply(dirCam), origin = inverse.position
                var tMin = -Double.infinity, tMax = Double.infinity
                for (o, d) in zip(origin.array, dir.array) {
                    let t1 = (-0.1 - o) / d, t2 = (0.1 - o) / d
                    tMin = max(tMin, min(t1, t2)); tMax = min(tMax, max(t1, t2))
                }
                if tMax >= tMin && tMax > 0 { expected += 1 }
            }
        }
        // With one sample per pixel the segmentation is exactly the centre-ray coverage (up to edge ties).
        let single = try SoftRasterizer(supersampling: 1).render(RenderScene(primitives: [box]), camera: camera)
        let covered = single.segmentation.filter { $0 == 7 }.count
        #expect(abs(covered - expected) <= 2, "covered \(covered) vs ray-cast \(expected)")
    }

    @Test func texturesAreInterpolatedPerspectiveCorrectlyAndDepthIsExact() throws {
        // A large checkered slab seen at a grazing angle: affine interpolation would bend the checker lines.
        let camera = try SceneCamera.d455(width: 48, height: 48, eye: Vector3(-1.2, 0.05, 0.35), target: Vector3(0, 0, 0))
        let size = 0.1
        let slab = ScenePrimitive(geometry: .box(halfExtents: Vector3(1, 1, 0.01)),
                                  pose: try Pose(position: Vector3(0, 0, -0.01), rotation: .aboutZ(0.3)),
                                  colour: Vector3(1, 1, 1), texture: .checker(size: size), segment: 1)
        let scene = RenderScene(primitives: [slab], lightDirection: Vector3(0, 0, 1), ambient: 1)
        let view = try SoftRasterizer(supersampling: 1).render(scene, camera: camera)
        let inverse = camera.worldToCamera.inverse
        var checked = 0, agree = 0, depthError = 0.0
        for v in 0..<48 {
            for u in 0..<48 where view.segmentation[v * 48 + u] == 1 {
                // Independent ray cast onto the slab's top face (z = 0).
                let ray = inverse.rotation.apply(Vector3((Double(u) - camera.cx) / camera.fx, (Double(v) - camera.cy) / camera.fy, 1))
                let t = -inverse.position.z / ray.z
                guard t > 0 else { continue }
                let hit = inverse.position + t * ray
                let local = slab.pose.inverse.apply(hit)
                let k = Int((local.x / size).rounded(.down)) + Int((local.y / size).rounded(.down)) + Int((local.z / size).rounded(.down))
                let expected: UInt8 = k & 1 == 0 ? 255 : 184
                checked += 1
                if abs(Int(view.image.pixels[(v * 48 + u) * 3]) - Int(expected)) <= 1 { agree += 1 }
                depthError = max(depthError, abs(Double(view.depth[v * 48 + u]) - t))   // ray has unit camera z
            }
        }
        #expect(checked > 800)
        #expect(Double(agree) >= 0.97 * Double(checked), "\(agree)/\(checked) pixels show the expected checker colour")
        #expect(depthError < 1e-5, "depth error \(depthError) m")
    }

    @Test func environmentMeetsThePortContractAndRendersTheTask() async throws {
        let environment = try BulletEnvironment(renderer: SoftRasterizer(), resolution: 64)
        let action = try EndEffectorAction(values: [0.01, 0, -0.02, 0, 0, 0.05, 1])
        let chunk = try ActionChunk(actions: Array(repeating: [action], count: 4), maxEffectors: 1)
        try await PortContracts.checkEnvironment(environment, task: "place-cube", chunk: chunk)
        let observation = try await environment.reset(task: "place-cube", seed: 2)
        #expect(observation.instruction == "place the cube on the target")
        let px = observation.image.pixels
        var distinct = Set<Int>()
        for i in stride(from: 0, to: px.count, by: 3) {
            let r = Int(px[i]) << 16, g = Int(px[i + 1]) << 8
            distinct.insert(r | g | Int(px[i + 2]))
        }
        #expect(distinct.count > 30, "a textured scene, not a flat image")
        // Every observation of the episode carries its first frame; the next reset starts a new one.
        #expect(observation.firstImage == observation.image)
        let moved = try await environment.step(chunk).observation
        #expect(moved.firstImage == observation.image && moved.image != observation.image)
        #expect(try await environment.reset(task: "place-cube", seed: 3).firstImage != observation.image)
        if let dir = ProcessInfo.processInfo.environment["PROPHRL_SIM_FRAMES"] {
            for task in SimTask.allCases {
                let o = try await environment.reset(task: task.rawValue, seed: 1)
                try PNGImageWriter().write(o.image, to: "\(dir)/\(task.rawValue)-64.png")
            }
            let big = try BulletEnvironment(renderer: SoftRasterizer(), resolution: 256)
            let o = try await big.reset(task: "place-bowl", seed: 1)
            try PNGImageWriter().write(o.image, to: "\(dir)/place-bowl-256.png")
        }
    }
}
