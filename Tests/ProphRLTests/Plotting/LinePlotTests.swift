import ProphRL
import ProphRLCore
import Testing

@Suite("Line plot rasteriser")
struct LinePlotTests {
    @Test("Ticks are 1-2-5 multiples that bracket the data", arguments: [
        (0.13, 0.97, 0.2, 0.0, 1.0), (0.0, 100.0, 20.0, 0.0, 100.0), (-3.2, 7.9, 5.0, -5.0, 10.0), (-3.2, 6.5, 2.0, -4.0, 8.0), (5.0, 5.0, 0.2, 4.4, 5.6),
    ])
    func ticks(lower: Double, upper: Double, step: Double, first: Double, last: Double) {
        let ticks = AxisTicks(lower: lower, upper: upper, targetCount: 5)
        #expect(abs(ticks.step - step) < 1e-12)
        #expect(abs((ticks.values.first ?? .nan) - first) < 1e-9)
        #expect(abs((ticks.values.last ?? .nan) - last) < 1e-9)
        #expect((ticks.values.first ?? .infinity) <= min(lower, upper) && (ticks.values.last ?? -.infinity) >= max(lower, upper))
    }

    @Test("Labels carry just the decimals the step needs")
    func labels() {
        #expect(AxisTicks(lower: 0, upper: 1, targetCount: 5).labels == ["0", "0.2", "0.4", "0.6", "0.8", "1"])
        #expect(AxisTicks.format(-0.25, step: 0.05) == "-0.25")
        #expect(AxisTicks.format(1500, step: 500) == "1500")
        #expect(AxisTicks.format(2e7, step: 1e7) == "2E7")
        #expect(AxisTicks.format(3e-6, step: 1e-6) == "3E-6")
    }

    @Test("Glyphs are the 5×7 patterns; text is drawn where asked")
    func font() throws {
        #expect(BitmapFont.rows(of: "1") == [0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E])
        #expect(BitmapFont.rows(of: "a") == BitmapFont.rows(of: "A"))
        #expect(BitmapFont.rows(of: "~") == BitmapFont.rows(of: "?"))
        var image = try RGBImage(width: 20, height: 10, fill: (255, 255, 255))
        BitmapFont.draw("1", into: &image, x: 2, y: 1, color: (0, 0, 0))
        // Column 2 of glyph "1" is set in every row; column 0 only in the last row.
        for row in 0..<7 { #expect(image[2 + 2, 1 + row] == (0, 0, 0)) }
        #expect(image[2, 1] == (255, 255, 255) && image[2 + 1, 1 + 6] == (0, 0, 0))
        #expect(BitmapFont.width(of: "ab", scale: 2) == 22)
    }

    @Test("Series pixels land where the axis mapping puts them; axes are drawn")
    func render() throws {
        let red: LinePlot.Color = (220, 20, 20)
        let points = (0...10).map { (x: Double($0), y: Double($0 * $0) / 10) }
        let plot = try LinePlot(title: "loss", xLabel: "step", yLabel: "loss",
                                series: [.init(name: "loss", points: points, color: red)])
        let image = try plot.render()
        #expect(image.width == 640 && image.height == 400)
        for point in points {
            let (column, row) = plot.pixel(x: point.x, y: point.y)
            #expect(image[column, row] == red, "point \(point)")
        }
        // Independent check of the mapping: the lowest tick sits on the x axis, the highest on the top edge.
        let (x0, y0) = plot.pixel(x: plot.ticks.x.values[0], y: plot.ticks.y.values[0])
        #expect((x0, y0) == (plot.margin.left, 400 - plot.margin.bottom - 1))
        #expect(plot.pixel(x: 10, y: plot.ticks.y.values.last ?? 0).1 == plot.margin.top)
        #expect(image[plot.margin.left, 200] == (0, 0, 0))
        let dark = stride(from: 0, to: image.pixels.count, by: 3).filter { image.pixels[$0] < 100 && image.pixels[$0 + 1] < 100 }.count
        #expect(dark > 500)                                   // axes, ticks and text
    }

    @Test("Empty or non-finite data and tiny images are typed errors")
    func validation() throws {
        #expect(throws: ValidationError.self) { _ = try LinePlot(title: "", xLabel: "", yLabel: "", series: []) }
        #expect(throws: ValidationError.self) {
            _ = try LinePlot(title: "", xLabel: "", yLabel: "", series: [.init(name: "a", points: [(0, .nan)])])
        }
        #expect(throws: ValidationError.self) {
            _ = try LinePlot(title: "", xLabel: "", yLabel: "", series: [.init(name: "a", points: [(0, 1)])], width: 10)
        }
        // A single point still renders (degenerate ranges are widened).
        let single = try LinePlot(title: "", xLabel: "", yLabel: "", series: [.init(name: "a", points: [(3, 3)], color: (1, 2, 3))])
        let (column, row) = single.pixel(x: 3, y: 3)
        #expect(try single.render()[column, row] == (1, 2, 3))
    }
}
