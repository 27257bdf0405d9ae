import Testing
@testable import TensorEngine

/// Every primitive's gradient against central finite differences, including broadcasting.
@Suite struct PrimitiveGradientTests {
    static let broadcastPairs: [([Int], [Int])] = [
        ([2, 3, 4], [2, 3, 4]), ([2, 3, 4], [4]), ([2, 3, 4], [3, 1]), ([2, 1, 4], [1, 3, 1]), ([3, 4], []),
    ]

    @Test(arguments: broadcastPairs)
    func addSubMulDivBroadcast(shapes: ([Int], [Int])) throws {
        let a = try randn(shapes.0, seed: 1), b = try uniform(shapes.1, seed: 2, 0.5, 2)
        try checkGradients([a, b]) { p in try p[0] + p[1] }
        try checkGradients([a, b]) { p in try p[0] - p[1] }
        try checkGradients([a, b]) { p in try p[0] * p[1] }
        try checkGradients([a, b]) { p in try p[0] / p[1] }
    }

    @Test func powAndMaximum() throws {
        let a = try uniform([3, 4], seed: 3, 0.5, 2), b = try uniform([4], seed: 4, -1.5, 1.5)
        try checkGradients([a, b]) { p in try p[0].pow(p[1]) }
        let c = try randn([3, 4], seed: 5)
        try checkGradients([c, b]) { p in try p[0].maximum(p[1]) }
    }

    @Test(arguments: ["exp", "log", "sqrt", "rsqrt", "tanh", "sigmoid", "abs", "square", "relu", "pow3", "pow-0.5", "neg", "scale", "addScalar"])
    func unary(name: String) throws {
        let positive = ["log", "sqrt", "rsqrt", "pow-0.5"].contains(name)
        let x = positive ? try uniform([3, 5], seed: 6, 0.5, 2) : try randn([3, 5], seed: 6)
        try checkGradients([x]) { p in
            let t = p[0]
            switch name {
            case "exp": return t.exp()
            case "log": return t.log()
            case "sqrt": return t.sqrt()
            case "rsqrt": return t.rsqrt()
            case "tanh": return t.tanh()
            case "sigmoid": return t.sigmoid()
            case "abs": return t.abs()
            case "square": return t.square()
            case "relu": return t.relu()
            case "pow3": return t.pow(3)
            case "pow-0.5": return t.pow(-0.5)
            case "neg": return -t
            case "scale": return 2.5 * t
            default: return 1.5 + t
            }
        }
    }

    @Test func reductions() throws {
        let x = try randn([2, 3, 4], seed: 8)
        try checkGradients([x]) { p in try p[0].sum() }
        try checkGradients([x]) { p in try p[0].sum(axes: [1]) }
        try checkGradients([x]) { p in try p[0].sum(axes: [0, 2], keepDims: true) }
        try checkGradients([x]) { p in try p[0].mean(axis: -1) }
        try checkGradients([x]) { p in try p[0].max(axis: 1) }
        try checkGradients([x]) { p in try p[0].max(axis: -1, keepDims: true) }
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func matmulTransposes(flags: (Bool, Bool)) throws {
        let (tA, tB) = flags
        let a = try randn(tA ? [4, 3] : [3, 4], seed: 9), b = try randn(tB ? [5, 4] : [4, 5], seed: 10)
        try checkGradients([a, b]) { p in try p[0].matmul(p[1], transposeSelf: tA, transposeOther: tB) }
        let ba = try randn(tA ? [2, 4, 3] : [2, 3, 4], seed: 11), bb = try randn(tB ? [2, 5, 4] : [2, 4, 5], seed: 12)
        try checkGradients([ba, bb]) { p in try p[0].matmul(p[1], transposeSelf: tA, transposeOther: tB) }
        // A shared 2-D operand on either side.
        try checkGradients([ba, b]) { p in try p[0].matmul(p[1], transposeSelf: tA, transposeOther: tB) }
        try checkGradients([a, bb]) { p in try p[0].matmul(p[1], transposeSelf: tA, transposeOther: tB) }
    }

    @Test func fusedLinearAndMultiplyAdd() throws {
        let x = try randn([2, 3, 4], seed: 18), w = try randn([5, 4], seed: 19), b = try randn([5], seed: 20)
        try checkGradients([x, w, b]) { p in try p[0].linear(p[1], bias: p[2]) }
        try checkGradients([x, w]) { p in try p[0].linear(p[1]) }
        #expect(allClose(try x.linear(w, bias: b).scalars, try (x.matmul(w, transposeOther: true) + b).scalars))
        let scale = try randn([2, 1, 4], seed: 21), shift = try randn([4], seed: 22)
        try checkGradients([x, scale, shift]) { p in try p[0].multiplyAdd(p[1], p[2]) }
        try checkGradients([x, x]) { p in try p[0].multiplyAdd(p[1], p[0]) }
        #expect(throws: TensorError.self) { try scale.multiplyAdd(x, shift) }
    }

    @Test func shapeOps() throws {
        let x = try randn([2, 3, 4], seed: 13)
        try checkGradients([x]) { p in try p[0].reshaped([4, -1]) }
        try checkGradients([x]) { p in try p[0].permuted([2, 0, 1]) }
        try checkGradients([x]) { p in try p[0].transposed(0, 2) }
        try checkGradients([x]) { p in try p[0].slice(axis: 1, 1..<3) }
        try checkGradients([x]) { p in try p[0].padded(axis: 2, before: 1, after: 2, value: 3) }
        try checkGradients([x]) { p in try p[0].split([1, 3], axis: -1)[1] }
        try checkGradients([x]) { p in try p[0].gather([1, 0, 1]).reshaped([3, -1]) }
        let y = try randn([2, 2, 4], seed: 14)
        try checkGradients([x, y]) { p in try Tensor.concat([p[0], p[1], p[0]], axis: 1) }
        let bias = try randn([3, 1], seed: 15)
        try checkGradients([bias]) { p in try p[0].broadcast(to: [2, 3, 4]) }
    }

    @Test func whereRoutesGradients() throws {
        let a = try randn([3, 4], seed: 16), b = try randn([4], seed: 17)
        let condition = try a.greater(Tensor(scalar: 0))
        try checkGradients([a, b]) { p in try Tensor.where(condition, p[0], p[1]) }
    }
}
