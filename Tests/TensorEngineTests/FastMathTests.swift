import Foundation
import Testing
@testable import TensorEngine

/// The vectorised exp/tanh/sigmoid against libm (Double) over their working range.
@Suite struct FastMathTests {
    static let inputs: [Float] = stride(from: -30.0, through: 30.0, by: 0.0137).map { Float($0) } + [0, 1e-6, -1e-4, 0.06, -0.07]

    @Test func expIsWithinAFewUlp() {
        let x = Self.inputs.filter { $0 < 80 }
        let y = Kernels.vmap(x, FastMath.exp)
        for (xi, yi) in zip(x, y) {
            let reference = Foundation.exp(Double(xi))
            #expect(abs(Double(yi) - reference) <= 4e-7 * reference, "exp(\(xi)) = \(yi), libm \(reference)")
        }
        let extremes = Kernels.vmap([-200, 200], FastMath.exp)
        #expect(extremes[0] >= 0 && extremes[0] < 1e-37 && extremes[1].isFinite)
    }

    @Test func tanhAndSigmoidAreAccurate() {
        let x = Self.inputs
        for (xi, yi) in zip(x, Kernels.vmap(x, FastMath.tanh)) {
            let reference = Foundation.tanh(Double(xi))
            #expect(abs(Double(yi) - reference) <= 2e-7 + 1e-6 * abs(reference), "tanh(\(xi)) = \(yi), libm \(reference)")
        }
        for (xi, yi) in zip(x, Kernels.vmap(x, FastMath.sigmoid)) {
            let reference = 1 / (1 + Foundation.exp(-Double(xi)))
            #expect(abs(Double(yi) - reference) <= 2e-7, "sigmoid(\(xi)) = \(yi), reference \(reference)")
        }
    }
}
