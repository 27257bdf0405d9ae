import ProphRLCore

/// A fake ``OpticalFlowEstimator`` for tests: finds the single integer translation (within `radius`) that best
/// maps the first frame onto the second (least absolute grey difference, wrap-around) and reports it at
/// every pixel.
public struct GlobalShiftFlowEstimator: OpticalFlowEstimator {
    /// The largest shift searched, in pixels.
    public let radius: Int

    /// Creates the estimator.
    public init(radius: Int = 4) { self.radius = radius }

    /// The uniform flow of the best global shift.
    public func flow(from first: RGBImage, to second: RGBImage) throws -> FlowField {
        guard first.width == second.width, first.height == second.height else {
            throw ValidationError.shapeMismatch(argument: "second", expected: "\(first.width)x\(first.height)",
                                                actual: "\(second.width)x\(second.height)")
        }
        var best = (dx: 0, dy: 0, cost: Int.max)
        for dy in -radius...radius {
            for dx in -radius...radius {
                let cost = Self.cost(first, second, dx: dx, dy: dy)
                if cost < best.cost { best = (dx, dy, cost) }
            }
        }
        var field = try FlowField(zerosWidth: first.width, height: first.height)
        for y in 0..<first.height { for x in 0..<first.width { field[x, y] = (Float(best.dx), Float(best.dy)) } }
        return field
    }

    private static func cost(_ a: RGBImage, _ b: RGBImage, dx: Int, dy: Int) -> Int {
        let w = a.width, h = a.height
        var total = 0
        for y in 0..<h {
            for x in 0..<w {
                let p = a[x, y], q = b[((x + dx) % w + w) % w, ((y + dy) % h + h) % h]
                total += abs(Int(p.r) - Int(q.r)) + abs(Int(p.g) - Int(q.g)) + abs(Int(p.b) - Int(q.b))
            }
        }
        return total
    }
}
