import ProphRLCore

/// A small line-plot rasteriser: axes, nice ticks with labels, a title, and one or more series,
/// drawn into an ``RGBImage`` with the built-in ``BitmapFont``.
///
/// ```swift
/// let plot = try LinePlot(title: "loss", xLabel: "step", yLabel: "loss",
///                         series: [.init(name: "loss", points: samples.map { (Double($0.step), $0.value) })])
/// try writer.write(try plot.render(), to: "loss.png")
/// ```
public struct LinePlot: Sendable {
    /// An RGB colour.
    public typealias Color = (r: UInt8, g: UInt8, b: UInt8)

    /// Ten distinguishable line colours (matplotlib's tab10), for series i at `palette[i % 10]`.
    public static let palette: [Color] = [(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
                                          (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207)]

    /// One polyline, drawn in order of its points.
    public struct Series: Sendable {
        /// The legend name.
        public let name: String
        /// (x, y) points, finite.
        public let points: [(x: Double, y: Double)]
        /// The line colour.
        public let color: Color

        /// Creates a series.
        public init(name: String, points: [(x: Double, y: Double)], color: Color = (31, 119, 180)) {
            self.name = name
            self.points = points
            self.color = color
        }
    }

    /// Image size in pixels.
    public let width: Int, height: Int
    /// Text above the plot.
    public let title: String
    /// Axis captions.
    public let xLabel: String, yLabel: String
    /// The data.
    public let series: [Series]

    /// Margins around the plot area, in pixels.
    public let margin = (left: 70, right: 20, top: 30, bottom: 45)

    /// Creates a plot.
    /// - Throws: ``ValidationError`` if the image is smaller than 160×120, there is no point at all,
    ///   or a coordinate is not finite.
    public init(title: String, xLabel: String, yLabel: String, series: [Series], width: Int = 640, height: Int = 400) throws {
        if width < 160 { throw ValidationError.outOfRange(argument: "width", expected: ">= 160", actual: Double(width)) }
        if height < 120 { throw ValidationError.outOfRange(argument: "height", expected: ">= 120", actual: Double(height)) }
        if series.allSatisfy({ $0.points.isEmpty }) { throw ValidationError.empty(argument: "series points") }
        for item in series {
            try Validate.finite(item.points.map(\.x), "\(item.name).x")
            try Validate.finite(item.points.map(\.y), "\(item.name).y")
        }
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.width = width
        self.height = height
    }

    /// The x and y ticks the axes use (they bound every point).
    public var ticks: (x: AxisTicks, y: AxisTicks) {
        let points = series.flatMap(\.points)
        let xs = points.map(\.x), ys = points.map(\.y)
        return (AxisTicks(lower: xs.min() ?? 0, upper: xs.max() ?? 1, targetCount: 6),
                AxisTicks(lower: ys.min() ?? 0, upper: ys.max() ?? 1, targetCount: 5))
    }

    /// The pixel (column, row) of data point (`x`, `y`), row 0 at the top.
    public func pixel(x: Double, y: Double) -> (Int, Int) {
        let (xTicks, yTicks) = ticks
        let (x0, x1) = (xTicks.values.first ?? 0, xTicks.values.last ?? 1)
        let (y0, y1) = (yTicks.values.first ?? 0, yTicks.values.last ?? 1)
        let plotWidth = Double(width - margin.left - margin.right - 1)
        let plotHeight = Double(height - margin.top - margin.bottom - 1)
        let column = Double(margin.left) + (x - x0) / (x1 - x0) * plotWidth
        let row = Double(height - margin.bottom - 1) - (y - y0) / (y1 - y0) * plotHeight
        return (Int(column.rounded()), Int(row.rounded()))
    }

    /// Rasterises the plot on a white background.
    /// - Throws: ``ValidationError`` only if the image size is invalid (checked at init).
    public func render() throws -> RGBImage {
        var image = try RGBImage(width: width, height: height, fill: (255, 255, 255))
        let black: Color = (0, 0, 0), grid: Color = (225, 225, 225), gray: Color = (90, 90, 90)
        let (xTicks, yTicks) = ticks
        let bottom = height - margin.bottom - 1, right = width - margin.right - 1
        // Grid lines and tick labels.
        for (value, label) in zip(xTicks.values, xTicks.labels) {
            let (column, _) = pixel(x: value, y: yTicks.values[0])
            line(&image, from: (column, margin.top), to: (column, bottom), color: grid)
            line(&image, from: (column, bottom), to: (column, bottom + 4), color: black)
            BitmapFont.draw(label, into: &image, x: column - BitmapFont.width(of: label) / 2, y: bottom + 8, color: gray)
        }
        for (value, label) in zip(yTicks.values, yTicks.labels) {
            let (_, row) = pixel(x: xTicks.values[0], y: value)
            line(&image, from: (margin.left, row), to: (right, row), color: grid)
            line(&image, from: (margin.left - 4, row), to: (margin.left, row), color: black)
            BitmapFont.draw(label, into: &image, x: margin.left - 7 - BitmapFont.width(of: label), y: row - 3, color: gray)
        }
        // Axes.
        line(&image, from: (margin.left, margin.top), to: (margin.left, bottom), color: black)
        line(&image, from: (margin.left, bottom), to: (right, bottom), color: black)
        // Captions.
        BitmapFont.draw(title, into: &image, x: (width - BitmapFont.width(of: title, scale: 2)) / 2, y: 8, scale: 2, color: black)
        BitmapFont.draw(xLabel, into: &image, x: (margin.left + right - BitmapFont.width(of: xLabel)) / 2,
                        y: height - 14, color: black)
        BitmapFont.draw(yLabel, into: &image, x: 4, y: margin.top - 12, color: black)
        // Series, then a legend in the top-right corner.
        for (index, item) in series.enumerated() {
            let pixels = item.points.map { pixel(x: $0.x, y: $0.y) }
            if pixels.count == 1, let only = pixels.first { line(&image, from: only, to: only, color: item.color) }
            for (a, b) in zip(pixels, pixels.dropFirst()) { line(&image, from: a, to: b, color: item.color) }
            if series.count > 1 {
                let legendY = margin.top + 4 + index * 11
                let legendX = right - 8 - BitmapFont.width(of: item.name) - 16
                line(&image, from: (legendX, legendY + 3), to: (legendX + 12, legendY + 3), color: item.color)
                BitmapFont.draw(item.name, into: &image, x: legendX + 16, y: legendY, color: black)
            }
        }
        return image
    }

    /// Bresenham's line, clipped to the image.
    private func line(_ image: inout RGBImage, from a: (Int, Int), to b: (Int, Int), color: Color) {
        var (x, y) = a
        let dx = abs(b.0 - a.0), dy = -abs(b.1 - a.1)
        let sx = a.0 < b.0 ? 1 : -1, sy = a.1 < b.1 ? 1 : -1
        var error = dx + dy
        while true {
            if x >= 0, y >= 0, x < image.width, y < image.height { image[x, y] = color }
            if x == b.0 && y == b.1 { break }
            let doubled = 2 * error
            if doubled >= dy { error += dy; x += sx }
            if doubled <= dx { error += dx; y += sy }
        }
    }
}
