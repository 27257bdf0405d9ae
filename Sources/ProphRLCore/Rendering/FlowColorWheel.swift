import RealModule

/// Colour-codes a flow field for people: hue = direction (OpenCV's `opt_flow.py` convention: angle of
/// (dx, dy) with y down, 0° = right = red), full saturation, value = magnitude / `maxMagnitude` (clipped).
///
/// ```swift
/// let picture = try FlowColorWheel.render(field)            // scaled to the field's largest motion
/// let fixed = try FlowColorWheel.render(field, maxMagnitude: 5)
/// ```
public enum FlowColorWheel {
    /// The RGB image of `field`; `maxMagnitude` nil means the field's largest magnitude (a still field is black).
    /// - Throws: ``ValidationError`` naming `maxMagnitude` if it is not positive and finite, or `field` if it
    ///   holds a non-finite value.
    public static func render(_ field: FlowField, maxMagnitude: Double? = nil) throws -> RGBImage {
        try Validate.count(field.vectors.count, equals: field.width * field.height * 2, "field.vectors")
        try Validate.finite(field.vectors, "field")
        if let maxMagnitude, !(maxMagnitude.isFinite && maxMagnitude > 0) {
            throw ValidationError.outOfRange(argument: "maxMagnitude", expected: "> 0 and finite", actual: maxMagnitude)
        }
        var largest = 0.0
        for p in 0..<(field.width * field.height) {
            largest = max(largest, magnitude(Double(field.vectors[2 * p]), Double(field.vectors[2 * p + 1])))
        }
        let scale = maxMagnitude ?? largest
        var image = try RGBImage(width: field.width, height: field.height)
        guard scale > 0 else { return image }
        for p in 0..<(field.width * field.height) {
            let dx = Double(field.vectors[2 * p]), dy = Double(field.vectors[2 * p + 1])
            var angle = Double.atan2(y: dy, x: dx) * 180 / .pi
            if angle < 0 { angle += 360 }
            let value = min(1, magnitude(dx, dy) / scale)
            let (r, g, b) = rgb(hueDegrees: angle, saturation: 1, value: value)
            image.pixels[3 * p] = r; image.pixels[3 * p + 1] = g; image.pixels[3 * p + 2] = b
        }
        return image
    }

    /// HSV (hue in degrees, saturation and value in [0, 1]) to 8-bit RGB, rounded half up.
    public static func rgb(hueDegrees: Double, saturation: Double, value: Double) -> (UInt8, UInt8, UInt8) {
        let h = (hueDegrees.truncatingRemainder(dividingBy: 360) + 360).truncatingRemainder(dividingBy: 360) / 60
        let c = value * saturation
        let x = c * (1 - abs(h.truncatingRemainder(dividingBy: 2) - 1))
        let m = value - c
        let (r, g, b): (Double, Double, Double)
        switch Int(h) {
        case 0: (r, g, b) = (c, x, 0)
        case 1: (r, g, b) = (x, c, 0)
        case 2: (r, g, b) = (0, c, x)
        case 3: (r, g, b) = (0, x, c)
        case 4: (r, g, b) = (x, 0, c)
        default: (r, g, b) = (c, 0, x)
        }
        func byte(_ v: Double) -> UInt8 { UInt8(max(0, min(255, ((v + m) * 255 + 0.5).rounded(.down)))) }
        return (byte(r), byte(g), byte(b))
    }

    private static func magnitude(_ dx: Double, _ dy: Double) -> Double { (dx * dx + dy * dy).squareRoot() }
}
