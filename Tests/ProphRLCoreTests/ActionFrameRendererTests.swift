import ProphRLCore
import Testing

/// The action-frame renderer against the worked example of flow-eval.md §5.4 and hand-computed projections.
@Suite struct ActionFrameRendererTests {
    static func exampleRenderer() throws -> ActionFrameRenderer {
        let camera = try PinholeCamera(fx: 64, fy: 64, cx: 32, cy: 32, calibrationWidth: 64, calibrationHeight: 64)
        return try ActionFrameRenderer(camera: camera, width: 64, height: 64)
    }

    static func exampleMarker() throws -> ActionFrameMarker {
        try ActionFrameMarker(toolPose: Pose(position: Vector3(0.1, -0.05, 0.8), rotation: .identity), openness: 0.5)
    }

    @Test func projectionOfTheWorkedExample() throws {
        let camera = try Self.exampleRenderer().camera
        let tool = try Self.exampleMarker().toolPose
        let o = try #require(camera.project(tool.apply(.zero), width: 64, height: 64))
        #expect(abs(o.u - 40) < 1e-12 && abs(o.v - 28) < 1e-12 && abs(o.depth - 0.8) < 1e-12)
        let x = try #require(camera.project(tool.apply(Vector3(0.15, 0, 0)), width: 64, height: 64))
        #expect(abs(x.u - 52) < 1e-12 && abs(x.v - 28) < 1e-12)
        let y = try #require(camera.project(tool.apply(Vector3(0, 0.15, 0)), width: 64, height: 64))
        #expect(abs(y.u - 40) < 1e-12 && abs(y.v - 40) < 1e-12)
        let z = try #require(camera.project(tool.apply(Vector3(0, 0, 0.15)), width: 64, height: 64))
        #expect(abs(z.u - 38.736842) < 1e-6 && abs(z.v - 28.631579) < 1e-6 && abs(z.depth - 0.95) < 1e-12)
        // Intrinsics scale with the output size.
        let half = try #require(camera.project(tool.apply(.zero), width: 32, height: 16))
        #expect(abs(half.u - 20) < 1e-12 && abs(half.v - 7) < 1e-12)
        #expect(camera.project(Vector3(0, 0, -1), width: 64, height: 64) == nil)
    }

    @Test func radiusTable() throws {
        let style = ActionFrameStyle.paper
        for (z, r) in [(0.2, 140.0), (0.286, 139.86), (0.5, 80), (1, 40), (2, 20), (5, 8), (9, 8)] {
            #expect(abs(style.referenceRadius(depth: z) - r) < 0.01, "r(\(z))")
        }
        #expect(style.radius(depth: 0.8, outputWidth: 64) == 5)
        #expect(style.radius(depth: 5, outputWidth: 32) == 1)   // max(1, 0.05 · 8)
    }

    @Test func viridisAnchors() {
        #expect(Viridis.bytes(at: 0.5) == (33, 145, 140))
        #expect(Viridis.bytes(at: 0) == (68, 1, 84) && Viridis.bytes(at: 1) == (253, 231, 37))
        #expect(Viridis.bytes(at: 0.0625) == (70, 23, 104))   // halfway between the first two anchors, rounded half up
    }

    @Test func workedExamplePixels() throws {
        let image = try Self.exampleRenderer().render([Self.exampleMarker()])
        for (x, y) in [(40, 28), (39, 28), (41, 28), (40, 29)] { #expect(image[x, y] == (255, 255, 255), "(\(x), \(y))") }
        #expect(image[45, 28] == (255, 0, 0))
        #expect(image[40, 33] == (0, 255, 0))
        #expect(image[36, 28] == (20, 87, 84) && image[43, 31] == (20, 87, 84))
        #expect(image[45, 30] == (0, 0, 0))
        var disk = 0, nonBlack = 0
        for y in 0..<64 {
            for x in 0..<64 {
                let p = image[x, y]
                if p != (0, 0, 0) { nonBlack += 1 }
                if (Double(x) - 40) * (Double(x) - 40) + (Double(y) - 28) * (Double(y) - 28) <= 25 { disk += 1 }
            }
        }
        #expect(disk == 81)
        #expect(nonBlack == 95)
    }

    @Test func farMarkersAreDrawnFirstAndBehindCameraIsSkipped() throws {
        let renderer = try Self.exampleRenderer()
        let near = try ActionFrameMarker(toolPose: Pose(position: Vector3(0, 0, 0.5), rotation: .identity), openness: 1)
        let far = try ActionFrameMarker(toolPose: Pose(position: Vector3(0.02, 0, 2), rotation: .identity), openness: 0)
        let behind = try ActionFrameMarker(toolPose: Pose(position: Vector3(0, 0, -1), rotation: .identity), openness: 0)
        let a = try renderer.render([near, far, behind]), b = try renderer.render([far, near])
        #expect(a == b, "order of drawing follows depth, not input order; the marker behind is skipped")
        // At (30, 35) only the near disk (radius 8 px) covers: yellow at 0.6 over black.
        #expect(a[30, 35] == (152, 139, 22))
    }

    @Test func overlayBlendsOverTheFrame() throws {
        let renderer = try Self.exampleRenderer()
        let grey = try RGBImage(width: 64, height: 64, fill: (100, 100, 100))
        let image = try renderer.render([Self.exampleMarker()], over: grey)
        #expect(image[36, 28] == (60, 127, 124))   // 0.6·(33,145,140) + 0.4·100
        #expect(image[10, 10] == (100, 100, 100))
        #expect(image[40, 28] == (255, 255, 255))
        #expect(throws: ValidationError.self) { try renderer.render([], over: try RGBImage(width: 8, height: 8)) }
    }

    @Test func rejectsBadParameters() throws {
        #expect(throws: ValidationError.self) { try ActionFrameMarker(toolPose: .identity, openness: 1.5) }
        #expect(throws: ValidationError.self) { try ActionFrameMarker(toolPose: .identity, openness: .nan) }
        #expect(throws: ValidationError.self) { try ActionFrameStyle(minimumRadius: 10, maximumRadius: 5) }
        #expect(throws: ValidationError.self) {
            try PinholeCamera(fx: 0, fy: 1, cx: 0, cy: 0, calibrationWidth: 1, calibrationHeight: 1)
        }
    }

    @Test func extremeProjectionsDoNotCrash() throws {
        let renderer = try Self.exampleRenderer()
        let grazing = try ActionFrameMarker(toolPose: Pose(position: Vector3(1e6, -1e6, 1e-12), rotation: .identity), openness: 0.3)
        let image = try renderer.render([grazing])
        #expect(image.width == 64)
    }
}
