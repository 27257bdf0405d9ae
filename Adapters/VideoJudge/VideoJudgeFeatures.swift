import ProphRLCore

/// The judge's raw input from a clip: `sampledFrames` frames spread evenly over the clip (first and last
/// included), each average-pooled to `imageSize`² and cut into patches, values in [−0.5, 0.5] (with
/// `differenceFrames`, each frame's change from the first, in [−1, 1]); then, for a judge
/// that reads states, `statePoints` states spread evenly over the rollout's states before each chunk.
public enum VideoJudgeFeatures {
    /// Values per sampled state: the end effector's displacement from the first state (x, y, z) and its gripper.
    public static let valuesPerState = 4
    /// Displacements are read per 10 cm, so that a reach across the table is a value of order 1.
    static let displacementScale = 10.0

    /// The state features of `states` (effector 0): `statePoints` × (Δx, Δy, Δz per 10 cm, gripper).
    /// - Throws: ``ValidationError`` if `states` is empty while the configuration reads states.
    public static func stateFeatures(_ states: [RobotState], _ c: VideoJudgeConfiguration) throws -> [Float] {
        guard c.statePoints > 0 else { return [] }
        guard let first = states.first?.effectors.first else {
            throw ValidationError.empty(argument: "states (this judge reads the rollout's states: statePoints \(c.statePoints))")
        }
        return frameIndices(count: states.count, sampled: c.statePoints).flatMap { index -> [Float] in
            let effector = states[index].effectors.first ?? first
            let (p, p0) = (effector.pose.position, first.pose.position)
            return [p.x - p0.x, p.y - p0.y, p.z - p0.z].map { Float($0 * displacementScale) } + [Float(effector.gripper)]
        }
    }

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
        guard c.differenceFrames == 1 else { return out }
        let first = Array(out.prefix(c.imageSize * c.imageSize * 3))
        for start in stride(from: out.count - first.count, through: 0, by: -first.count) {
            for k in 0..<first.count { out[start + k] -= first[k] }
        }
        return out
    }

    /// Patch-major pixel values of one frame after average pooling.
    static func patches(_ image: RGBImage, _ c: VideoJudgeConfiguration) throws -> [Float] {
        try ImagePatches.pooled(image, grid: c.imageSize, patch: c.patchSize, argument: "rollout frame")
    }
}
