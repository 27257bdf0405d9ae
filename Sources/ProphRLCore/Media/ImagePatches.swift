/// Network input from a camera frame: average-pool to a square grid, then lay the grid out patch by patch.
public enum ImagePatches {
    /// `(grid/patch)² × (patch²·3)` values in [−0.5, 0.5]: the frame average-pooled to `grid × grid` with
    /// integer box bounds (so any frame size maps onto the grid), then patch-major, each patch row by row.
    /// - Throws: ``ValidationError/shapeMismatch(argument:expected:actual:)`` naming `argument` if the frame is
    ///   smaller than the grid, or ``ValidationError/invalid(argument:reason:)`` if `patch` does not divide `grid`.
    public static func pooled(_ image: RGBImage, grid n: Int, patch p: Int, argument: String) throws -> [Float] {
        guard image.width >= n, image.height >= n else {
            throw ValidationError.shapeMismatch(argument: argument, expected: "at least \(n)² pixels",
                                                actual: "\(image.width)×\(image.height)")
        }
        guard p >= 1, n % p == 0 else {
            throw ValidationError.invalid(argument: "patch", reason: "\(p) must divide the grid size \(n)")
        }
        var pooled = [Float](repeating: 0, count: n * n * 3)
        for gy in 0..<n {
            let y0 = gy * image.height / n, y1 = (gy + 1) * image.height / n
            for gx in 0..<n {
                let x0 = gx * image.width / n, x1 = (gx + 1) * image.width / n
                var sum: (Int, Int, Int) = (0, 0, 0)
                for y in y0..<y1 {
                    var offset = (y * image.width + x0) * 3
                    for _ in x0..<x1 {
                        sum.0 += Int(image.pixels[offset]); sum.1 += Int(image.pixels[offset + 1])
                        sum.2 += Int(image.pixels[offset + 2])
                        offset += 3
                    }
                }
                let count = Float((y1 - y0) * (x1 - x0) * 255)
                let base = (gy * n + gx) * 3
                pooled[base] = Float(sum.0) / count - 0.5
                pooled[base + 1] = Float(sum.1) / count - 0.5
                pooled[base + 2] = Float(sum.2) / count - 0.5
            }
        }
        let perSide = n / p
        var out = [Float]()
        out.reserveCapacity(n * n * 3)
        for py in 0..<perSide {
            for px in 0..<perSide {
                for y in 0..<p {
                    let row = ((py * p + y) * n + px * p) * 3
                    out.append(contentsOf: pooled[row..<(row + p * 3)])
                }
            }
        }
        return out
    }
}
