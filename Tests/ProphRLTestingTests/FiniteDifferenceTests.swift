import Testing
import ProphRLTesting

@Suite("Test references")
struct FiniteDifferenceTests {
    @Test("Central differences recover an analytic gradient")
    func polynomialGradient() {
        let g = FiniteDifference.gradient(of: { x in x[0] * x[0] * x[1] + 3 * x[1] }, at: [2, -1])
        #expect(Tolerance.firstMismatch(g, [-4, 7], rtol: 1e-7, atol: 1e-7) == nil)
    }

    @Test("isClose honours relative and absolute tolerances")
    func closeness() {
        #expect(Tolerance.isClose(1.000001, 1.0, rtol: 1e-5))
        #expect(!Tolerance.isClose(1.001, 1.0, rtol: 1e-5))
        #expect(Tolerance.isClose(1e-14, 0, atol: 1e-12))
    }
}
