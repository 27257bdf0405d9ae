import ProphRLCore
import Testing

/// MetricSummary and the flow colour wheel.
@Suite struct EvaluationSupportTests {
    @Test func summaryStatistics() throws {
        let odd = try MetricSummary([3, 1, 2])
        #expect(odd.mean == 2 && odd.median == 2 && odd.minimum == 1 && odd.maximum == 3 && odd.count == 3)
        let even = try MetricSummary([4, 1, 10, 2])
        #expect(even.median == 3 && even.mean == 4.25)
        #expect(throws: ValidationError.empty(argument: "values")) { try MetricSummary([]) }
        #expect(throws: ValidationError.self) { try MetricSummary([1, .nan]) }
    }

    @Test func colourWheelDirectionsAndMagnitudes() throws {
        // right, down, left, up, half-length right, still
        let field = try FlowField(width: 6, height: 1, vectors: [2, 0, 0, 2, -2, 0, 0, -2, 1, 0, 0, 0])
        let image = try FlowColorWheel.render(field)
        #expect(image[0, 0] == (255, 0, 0))          // 0°: red
        #expect(image[1, 0] == (128, 255, 0))        // 90° (y down): between yellow and green
        #expect(image[2, 0] == (0, 255, 255))        // 180°: cyan
        #expect(image[3, 0] == (128, 0, 255))        // 270°
        #expect(image[4, 0] == (128, 0, 0))          // half magnitude: half value
        #expect(image[5, 0] == (0, 0, 0))            // no motion: black
        let fixed = try FlowColorWheel.render(field, maxMagnitude: 4)
        #expect(fixed[0, 0] == (128, 0, 0))
        #expect(throws: ValidationError.self) { try FlowColorWheel.render(field, maxMagnitude: 0) }
    }
}
