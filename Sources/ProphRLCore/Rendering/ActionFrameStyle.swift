/// The drawing parameters of action frames; the defaults are the paper's (flow-eval.md §5).
public struct ActionFrameStyle: Sendable, Equatable {
    /// Length of the drawn x/y/z axes in metres (l).
    public let axisLength: Double
    /// Disk radius at the reference depth, in reference pixels (r_ref).
    public let referenceRadius: Double
    /// Reference depth in metres (z_ref).
    public let referenceDepth: Double
    /// Smallest and largest disk radius in reference pixels.
    public let minimumRadius: Double, maximumRadius: Double
    /// The width (pixels) the radii refer to (W_ref).
    public let referenceWidth: Double
    /// Opacity of the disk layer.
    public let diskOpacity: Double

    /// The paper's values: l 0.15 m, r_ref 40, z_ref 1.0 m, r_min 8, r_max 140, W_ref 640, α 0.6.
    public static let paper = ActionFrameStyle(unchecked: 0.15, 40, 1.0, 8, 140, 640, 0.6)

    /// Creates a style.
    /// - Throws: ``ValidationError`` naming a length or radius that is not positive and finite, `maximumRadius`
    ///   below `minimumRadius`, or `diskOpacity` outside [0, 1].
    public init(axisLength: Double = 0.15, referenceRadius: Double = 40, referenceDepth: Double = 1.0,
                minimumRadius: Double = 8, maximumRadius: Double = 140, referenceWidth: Double = 640,
                diskOpacity: Double = 0.6) throws {
        for (value, name) in [(axisLength, "axisLength"), (referenceRadius, "referenceRadius"),
                              (referenceDepth, "referenceDepth"), (minimumRadius, "minimumRadius"),
                              (maximumRadius, "maximumRadius"), (referenceWidth, "referenceWidth")]
        where !(value.isFinite && value > 0) {
            throw ValidationError.outOfRange(argument: name, expected: "> 0 and finite", actual: value)
        }
        if maximumRadius < minimumRadius {
            throw ValidationError.outOfRange(argument: "maximumRadius", expected: ">= minimumRadius (\(minimumRadius))", actual: maximumRadius)
        }
        if !(0...1).contains(diskOpacity) {
            throw ValidationError.outOfRange(argument: "diskOpacity", expected: "in [0, 1]", actual: diskOpacity)
        }
        self.init(unchecked: axisLength, referenceRadius, referenceDepth, minimumRadius, maximumRadius, referenceWidth, diskOpacity)
    }

    private init(unchecked l: Double, _ rRef: Double, _ zRef: Double, _ rMin: Double, _ rMax: Double, _ wRef: Double, _ alpha: Double) {
        axisLength = l; referenceRadius = rRef; referenceDepth = zRef
        minimumRadius = rMin; maximumRadius = rMax; referenceWidth = wRef; diskOpacity = alpha
    }

    /// `r(Z) = clip(r_ref·z_ref/Z, r_min, r_max)` in reference pixels.
    public func referenceRadius(depth: Double) -> Double {
        min(maximumRadius, max(minimumRadius, referenceRadius * referenceDepth / depth))
    }

    /// The disk radius in output pixels: `max(1, s·r(Z))` with `s = width / W_ref`.
    public func radius(depth: Double, outputWidth: Int) -> Double {
        max(1, Double(outputWidth) / referenceWidth * referenceRadius(depth: depth))
    }
}
