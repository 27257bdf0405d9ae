/// Shrinks RGB images by area averaging, as OpenCV's `resize(…, INTER_AREA)` does for 8-bit images
/// (flow-eval.md §1: real frames larger than the model's are reduced this way before scoring).
///
/// Exact 2× reductions are the rounded 2×2 mean `(a+b+c+d+2) >> 2`; other integer factors the block mean
/// rounded half to even; fractional factors weight each source pixel by the part of it the output pixel
/// covers (float weights and sums, rounded half to even).
///
/// ```swift
/// let small = try AreaResampler.resize(frame, width: 256, height: 256)
/// ```
public enum AreaResampler {
    /// `image` reduced to `width × height` (each no larger than the source's).
    /// - Throws: ``ValidationError`` naming `width` or `height` if it is below 1 or larger than the image's.
    public static func resize(_ image: RGBImage, width: Int, height: Int) throws -> RGBImage {
        try Validate.atLeastOne(width, "width")
        try Validate.atLeastOne(height, "height")
        try Validate.count(image.pixels.count, equals: image.width * image.height * 3, "image.pixels")
        guard width <= image.width else {
            throw ValidationError.outOfRange(argument: "width", expected: "<= \(image.width) (area averaging only shrinks)",
                                             actual: Double(width))
        }
        guard height <= image.height else {
            throw ValidationError.outOfRange(argument: "height", expected: "<= \(image.height) (area averaging only shrinks)",
                                             actual: Double(height))
        }
        if width == image.width && height == image.height { return image }
        let (sw, sh) = (image.width, image.height)
        var out = [UInt8](repeating: 0, count: width * height * 3)
        if sw % width == 0 && sh % height == 0 {
            let (kx, ky) = (sw / width, sh / height)
            let area = kx * ky
            let inverse = Float(1) / Float(area)
            for y in 0..<height {
                for x in 0..<width {
                    for c in 0..<3 {
                        var sum = 0
                        for j in 0..<ky { for i in 0..<kx { sum += Int(image.pixels[((y * ky + j) * sw + x * kx + i) * 3 + c]) } }
                        let value = kx == 2 && ky == 2 ? (sum + 2) >> 2 : Int((Float(sum) * inverse).rounded(.toNearestOrEven))
                        out[(y * width + x) * 3 + c] = UInt8(min(255, value))
                    }
                }
            }
            return try RGBImage(width: width, height: height, pixels: out)
        }
        let columns = coverage(source: sw, destination: width), rows = coverage(source: sh, destination: height)
        var line = [Float](repeating: 0, count: width * 3), sum = line
        for y in 0..<height {
            for i in sum.indices { sum[i] = 0 }
            for (sy, beta) in rows[y] {
                for i in line.indices { line[i] = 0 }
                for x in 0..<width {
                    for (sx, alpha) in columns[x] {
                        let p = (sy * sw + sx) * 3
                        line[3 * x] += Float(image.pixels[p]) * alpha
                        line[3 * x + 1] += Float(image.pixels[p + 1]) * alpha
                        line[3 * x + 2] += Float(image.pixels[p + 2]) * alpha
                    }
                }
                for i in sum.indices { sum[i] += beta * line[i] }
            }
            for i in sum.indices {
                out[y * width * 3 + i] = UInt8(max(0, min(255, sum[i].rounded(.toNearestOrEven))))
            }
        }
        return try RGBImage(width: width, height: height, pixels: out)
    }

    /// For each output index, the source indices it covers and their weights (fractions of the cell, summing to 1).
    static func coverage(source: Int, destination: Int) -> [[(Int, Float)]] {
        let scale = Double(source) / Double(destination)
        return (0..<destination).map { d in
            let start = Double(d) * scale, end = start + scale
            let cell = min(scale, Double(source) - start)
            var first = Int(start.rounded(.up)), last = Int(end.rounded(.down))
            last = min(last, source - 1)
            first = min(first, source - 1)
            var taps: [(Int, Float)] = []
            if Double(first) - start > 1e-3 { taps.append((first - 1, Float((Double(first) - start) / cell))) }
            if first < last { for s in first..<last { taps.append((s, Float(1 / cell))) } }
            if end - Double(last) > 1e-3 { taps.append((last, Float(min(min(end - Double(last), 1), cell) / cell))) }
            return taps
        }
    }
}
