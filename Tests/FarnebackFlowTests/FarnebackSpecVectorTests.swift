import FarnebackFlow
import Foundation
import ProphRLCore
import Testing

/// The spec's OpenCV test vectors FB1 and FB2 (flow-eval.md §3.5), generated here from the formula.
@Suite struct FarnebackSpecVectorTests {
    /// `I(x, y; dx, dy)` of flow-eval.md §3.5.
    static func image(width: Int, height: Int, dx: Double, dy: Double) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let u = Double(x) - dx, v = Double(y) - dy
                let value = 127.3 + 60 * sin(2 * Double.pi * u / 23) * cos(2 * Double.pi * v / 31)
                    + 40 * sin(2 * Double.pi * (u + 2 * v) / 41)
                out[y * width + x] = UInt8((value + 0.5).rounded(.down))
            }
        }
        return out
    }

    struct Expectation: Sendable, CustomStringConvertible {
        let name: String, size: Int, shift: (Double, Double), parameters: FarnebackParameters
        let mean: (Double, Double), interior: (Double, Double)?, interiorRange: ClosedRange<Int>
        let points: [(x: Int, y: Int, dx: Double, dy: Double)]
        var description: String { name }
    }

    static let cases: [Expectation] = {
        let l0 = try! FarnebackParameters(levels: 0)   // swiftlint:disable:this force_try
        let l3 = FarnebackParameters.opencvDefaults
        let gauss = try! FarnebackParameters(gaussianWindow: true)   // swiftlint:disable:this force_try
        return [
            Expectation(name: "FB1 levels 0", size: 64, shift: (1.5, -0.75), parameters: l0,
                        mean: (1.488972, -0.740437), interior: (1.500112, -0.748661), interiorRange: 8...55,
                        points: [(32, 32, 1.492694, -0.742180), (0, 0, 1.265478, -0.543316), (63, 5, 1.412269, -0.640742)]),
            Expectation(name: "FB1 levels 3", size: 64, shift: (1.5, -0.75), parameters: l3,
                        mean: (1.488967, -0.740441), interior: (1.500111, -0.748663), interiorRange: 8...55,
                        points: [(32, 32, 1.492693, -0.742183), (0, 0, 1.265390, -0.543302), (63, 5, 1.412313, -0.640782)]),
            Expectation(name: "FB1 gaussian", size: 64, shift: (1.5, -0.75), parameters: gauss,
                        mean: (1.453578, -0.719513), interior: nil, interiorRange: 8...55,
                        points: [(32, 32, 1.511882, -0.742145)]),
            Expectation(name: "FB2 levels 0", size: 128, shift: (5.25, -3.5), parameters: l0,
                        mean: (5.301297, -3.512796), interior: (5.249752, -3.501345), interiorRange: 16...111,
                        points: [(64, 64, 5.241476, -3.493258), (0, 0, 4.990387, -2.704705), (127, 5, 4.348180, -2.530445)]),
            Expectation(name: "FB2 levels 3", size: 128, shift: (5.25, -3.5), parameters: l3,
                        mean: (5.258858, -3.488095), interior: (5.250427, -3.500321), interiorRange: 16...111,
                        points: [(64, 64, 5.239672, -3.488626), (0, 0, 4.624742, -2.601738), (127, 5, 3.630415, -2.883837)]),
            Expectation(name: "FB2 gaussian", size: 128, shift: (5.25, -3.5), parameters: gauss,
                        mean: (5.237045, -3.460752), interior: nil, interiorRange: 16...111,
                        points: [(64, 64, 5.253481, -3.498981)]),
        ]
    }()

    @Test func inputsMatchTheSpecChecksums() {
        let prev1 = Self.image(width: 64, height: 64, dx: 0, dy: 0)
        let next1 = Self.image(width: 64, height: 64, dx: 1.5, dy: -0.75)
        #expect(prev1.reduce(0) { $0 + Int($1) } == 522984)
        #expect(Array(prev1.prefix(4)) == [127, 150, 171, 189])
        #expect(next1.reduce(0) { $0 + Int($1) } == 523088)
        #expect(Array(next1.prefix(4)) == [104, 125, 147, 169])
        let prev2 = Self.image(width: 128, height: 128, dx: 0, dy: 0)
        let next2 = Self.image(width: 128, height: 128, dx: 5.25, dy: -3.5)
        #expect(prev2.reduce(0) { $0 + Int($1) } == 2087887)
        #expect(next2.reduce(0) { $0 + Int($1) } == 2086819)
        #expect(Array(next2.prefix(4)) == [93, 102, 114, 128])
    }

    @Test(arguments: cases) func matchesOpenCV(_ c: Expectation) throws {
        let prev = Self.image(width: c.size, height: c.size, dx: 0, dy: 0)
        let next = Self.image(width: c.size, height: c.size, dx: c.shift.0, dy: c.shift.1)
        let flow = try FarnebackOpticalFlow(parameters: c.parameters)
            .flow(previousGrey: prev, nextGrey: next, width: c.size, height: c.size)
        let tolerance = 1e-4
        var sx = 0.0, sy = 0.0, ix = 0.0, iy = 0.0, interiorCount = 0.0
        for y in 0..<c.size {
            for x in 0..<c.size {
                let v = flow[x, y]
                sx += Double(v.dx); sy += Double(v.dy)
                if c.interiorRange.contains(x) && c.interiorRange.contains(y) {
                    ix += Double(v.dx); iy += Double(v.dy); interiorCount += 1
                }
            }
        }
        let n = Double(c.size * c.size)
        #expect(abs(sx / n - c.mean.0) < tolerance && abs(sy / n - c.mean.1) < tolerance,
                "\(c.name): mean (\(sx / n), \(sy / n)) vs \(c.mean)")
        if let interior = c.interior {
            #expect(abs(ix / interiorCount - interior.0) < tolerance && abs(iy / interiorCount - interior.1) < tolerance,
                    "\(c.name): interior mean (\(ix / interiorCount), \(iy / interiorCount)) vs \(interior)")
        }
        for p in c.points {
            let v = flow[p.x, p.y]
            #expect(abs(Double(v.dx) - p.dx) < tolerance && abs(Double(v.dy) - p.dy) < tolerance,
                    "\(c.name) at (\(p.x), \(p.y)): (\(v.dx), \(v.dy)) vs (\(p.dx), \(p.dy))")
        }
    }
}
