/// Renders action frames (flow-eval.md §5): per end effector a depth-scaled disk coloured by gripper openness
/// (viridis, alpha-blended), the tool's x/y/z axes in red/green/blue and a white centre dot, drawn far to
/// near on a black canvas — or, in overlay mode, over an RGB video frame for people to look at.
///
/// ```swift
/// let renderer = try ActionFrameRenderer(camera: camera, width: 256, height: 256)
/// let frame = try renderer.render([try ActionFrameMarker(toolPose: tcp, openness: 0.8)])
/// let shown = try renderer.render([marker], over: videoFrame)
/// ```
public struct ActionFrameRenderer: Sendable {
    /// The camera the markers are seen through.
    public let camera: PinholeCamera
    /// Output size in pixels.
    public let width: Int, height: Int
    /// Drawing parameters.
    public let style: ActionFrameStyle

    /// Creates a renderer.
    /// - Throws: ``ValidationError`` naming `width` or `height` if below 1.
    public init(camera: PinholeCamera, width: Int, height: Int, style: ActionFrameStyle = .paper) throws {
        try Validate.atLeastOne(width, "width")
        try Validate.atLeastOne(height, "height")
        self.camera = camera
        self.width = width
        self.height = height
        self.style = style
    }

    /// Output pixels per reference pixel, `s = W / W_ref`.
    public var scale: Double { Double(width) / style.referenceWidth }

    /// Draws `markers` on a black canvas (or over `background`, which must be `width × height`).
    /// - Throws: ``ValidationError`` naming `background` if its size differs from the renderer's.
    public func render(_ markers: [ActionFrameMarker], over background: RGBImage? = nil) throws -> RGBImage {
        var canvas = [Double](repeating: 0, count: width * height * 3)
        if let background {
            guard background.width == width, background.height == height, background.pixels.count == width * height * 3 else {
                throw ValidationError.shapeMismatch(argument: "background", expected: "\(width)×\(height)",
                                                    actual: "\(background.width)×\(background.height)")
            }
            canvas = background.pixels.map(Double.init)
        }
        let l = style.axisLength
        let visible = markers.compactMap { marker -> (ActionFrameMarker, (u: Double, v: Double, depth: Double))? in
            camera.project(marker.toolPose.apply(.zero), width: width, height: height).map { (marker, $0) }
        }
        // Far to near by origin depth; the stable sort keeps input order for ties.
        for (marker, origin) in visible.enumerated().sorted(by: { ($0.element.1.depth, -$0.offset) > ($1.element.1.depth, -$1.offset) }).map(\.element) {
            let radius = style.radius(depth: origin.depth, outputWidth: width)
            let colour = Viridis.color(at: marker.openness)
            let alpha = style.diskOpacity
            fill(&canvas, centre: (origin.u, origin.v), radius: radius) { old, channel in
                let c = channel == 0 ? colour.r : channel == 1 ? colour.g : colour.b
                return alpha * c + (1 - alpha) * old
            }
            let axes: [(Vector3, (Double, Double, Double))] = [(Vector3(l, 0, 0), (255, 0, 0)), (Vector3(0, l, 0), (0, 255, 0)),
                                                                (Vector3(0, 0, l), (0, 0, 255))]
            let tips = axes.enumerated().compactMap { index, axis -> (Int, (u: Double, v: Double, depth: Double), (Double, Double, Double))? in
                camera.project(marker.toolPose.apply(axis.0), width: width, height: height).map { (index, $0, axis.1) }
            }
            let thickness = max(1, 4 * scale)
            for (_, tip, rgb) in tips.sorted(by: { ($0.1.depth, -$0.0) > ($1.1.depth, -$1.0) }) {
                segment(&canvas, from: (origin.u, origin.v), to: (tip.u, tip.v), halfWidth: thickness / 2, colour: rgb)
            }
            fill(&canvas, centre: (origin.u, origin.v), radius: max(1, 3 * scale)) { _, _ in 255 }
        }
        return try RGBImage(width: width, height: height,
                            pixels: canvas.map { UInt8(max(0, min(255, ($0 + 0.5).rounded(.down)))) })
    }

    /// Applies `shade` to every pixel whose centre lies within `radius` of `centre`.
    private func fill(_ canvas: inout [Double], centre: (Double, Double), radius: Double,
                      shade: (Double, Int) -> Double) {
        let r2 = radius * radius
        let x0 = Self.index(centre.0 - radius, width), x1 = Self.index(centre.0 + radius, width, up: true)
        let y0 = Self.index(centre.1 - radius, height), y1 = Self.index(centre.1 + radius, height, up: true)
        guard x0 <= x1, y0 <= y1 else { return }
        for j in y0...y1 {
            for i in x0...x1 {
                let dx = Double(i) - centre.0, dy = Double(j) - centre.1
                guard dx * dx + dy * dy <= r2 else { continue }
                let p = 3 * (j * width + i)
                for c in 0..<3 { canvas[p + c] = shade(canvas[p + c], c) }
            }
        }
    }

    /// Paints every pixel whose centre is within `halfWidth` of the segment `a`–`b`.
    private func segment(_ canvas: inout [Double], from a: (Double, Double), to b: (Double, Double), halfWidth: Double,
                         colour: (Double, Double, Double)) {
        let x0 = Self.index(min(a.0, b.0) - halfWidth, width), x1 = Self.index(max(a.0, b.0) + halfWidth, width, up: true)
        let y0 = Self.index(min(a.1, b.1) - halfWidth, height), y1 = Self.index(max(a.1, b.1) + halfWidth, height, up: true)
        guard x0 <= x1, y0 <= y1 else { return }
        let (ex, ey) = (b.0 - a.0, b.1 - a.1)
        let length2 = ex * ex + ey * ey
        for j in y0...y1 {
            for i in x0...x1 {
                let (px, py) = (Double(i) - a.0, Double(j) - a.1)
                let t = length2 > 0 ? min(1, max(0, (px * ex + py * ey) / length2)) : 0
                let (dx, dy) = (px - t * ex, py - t * ey)
                guard dx * dx + dy * dy <= halfWidth * halfWidth else { continue }
                let p = 3 * (j * width + i)
                canvas[p] = colour.0; canvas[p + 1] = colour.1; canvas[p + 2] = colour.2
            }
        }
    }

    /// A pixel bound clamped to [−1, size] in floating point first, so far-off projections cannot overflow `Int`.
    private static func index(_ value: Double, _ size: Int, up: Bool = false) -> Int {
        let clamped = value.isNaN ? -1 : min(Double(size), max(-1, up ? value.rounded(.up) : value.rounded(.down)))
        return up ? min(size - 1, Int(clamped)) : max(0, Int(clamped))
    }
}
