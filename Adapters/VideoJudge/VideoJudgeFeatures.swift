import ProphRLCore

/// The judge's raw input from a clip: `sampledFrames` frames spread evenly over the clip (first and last
/// included), each average-pooled to `imageSize`² and cut into patches, values in [−0.5, 0.5].
public enum VideoJudgeFeatures {
    /// The frame indices sampled from a clip of `count` frames (the last frame is always the last index).
    public static func frameIndices(count: Int, sampled: Int) -> [Int] {
        guard sampled > 1 else { return [count - 1] }
        return (0..<sampled).map { j in (j * (count - 1) + (sampled - 1) / 2) / (sampled - 1) }
    }

    /// The concatenated patch features of the sampled frames of `clip`.
    /// - Throws: ``ValidationError`` if a frame is smaller than `imageSize`.
    public static func features(_ clip: VideoClip, _ c: VideoJudgeConfiguration) throws -> [Float] {
        var out: [Float] = []
        out.reserveCapacity(c.sampledFrames * c.imageSize * c.imageSize * 3)
        for index in frameIndices(count: clip.frames.count, sampled: c.sampledFrames) {
            out += try patches(clip.frames[index], c)
        }
        return out
    }

    /// Patch-major pixel values of one frame after average pooling.
    static func patches(_ image: RGBImage, _ c: VideoJudgeConfiguration) throws -> [Float] {
        guard image.width >= c.imageSize, image.height >= c.imageSize else {
            throw ValidationError.shapeMismatch(argument: "rollout frame", expected: "at least \(c.imageSize)² pixels",
                                                actual: "\(image.width)×\(image.height)")
        }
        let n = c.imageSize
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
        let p = c.patchSize, perSide = n / p
        var out = [Float](); out.reserveCapacity(n * n * 3)
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
