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
        try ImagePatches.pooled(image, grid: c.imageSize, patch: c.patchSize, argument: "rollout frame")
    }
}
