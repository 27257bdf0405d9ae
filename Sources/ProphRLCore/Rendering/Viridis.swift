/// The viridis colormap (perceptually uniform), as the nine anchors of flow-eval.md §5.3 interpolated linearly.
public enum Viridis {
    /// Anchor colours at 0, 0.125, …, 1.
    public static let anchors: [(r: Double, g: Double, b: Double)] = [
        (68, 1, 84), (71, 45, 123), (59, 82, 139), (44, 114, 142), (33, 145, 140),
        (40, 174, 128), (94, 201, 98), (173, 220, 48), (253, 231, 37),
    ]

    /// The colour at `t` (clipped to [0, 1]; NaN counts as 0), per channel before rounding.
    public static func color(at t: Double) -> (r: Double, g: Double, b: Double) {
        let clipped = t.isNaN ? 0 : min(1, max(0, t))
        let position = clipped * Double(anchors.count - 1)
        let i = min(Int(position), anchors.count - 2)
        let f = position - Double(i)
        let a = anchors[i], b = anchors[i + 1]
        return (a.r + f * (b.r - a.r), a.g + f * (b.g - a.g), a.b + f * (b.b - a.b))
    }

    /// The colour at `t` rounded to bytes (half up).
    public static func bytes(at t: Double) -> (r: UInt8, g: UInt8, b: UInt8) {
        let c = color(at: t)
        return (UInt8((c.r + 0.5).rounded(.down)), UInt8((c.g + 0.5).rounded(.down)), UInt8((c.b + 0.5).rounded(.down)))
    }
}
