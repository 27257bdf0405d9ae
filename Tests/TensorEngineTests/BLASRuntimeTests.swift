import Testing
@testable import TensorEngine

/// OpenBLAS threads and kernel choice (process-global native state, hence serialized).
@Suite(.serialized) struct BLASRuntimeTests {
    @Test func threadsAreConfigurableAndRecorded() throws {
        let original = BLASRuntime.threads
        defer { try? BLASRuntime.setThreads(original) }
        try BLASRuntime.setThreads(1)
        #expect(BLASRuntime.threads == 1)
        let config = BLASRuntime.configuration
        #expect(config.threads == 1 && !config.coreName.isEmpty)
        #expect(config.description.contains("core=\(config.coreName)"))
        #expect(throws: TensorError.self) { try BLASRuntime.setThreads(0) }
    }

    @Test func kernelPreferenceFollowsCPUAndOverride() {
        #expect(BLASRuntime.preferredCoreType(environment: [:], avx512: true) == "SkylakeX")
        #expect(BLASRuntime.preferredCoreType(environment: [:], avx512: false) == nil)
        #expect(BLASRuntime.preferredCoreType(environment: ["PROPHRL_BLAS_CORETYPE": "auto"], avx512: true) == "SkylakeX")
        #expect(BLASRuntime.preferredCoreType(environment: ["PROPHRL_BLAS_CORETYPE": "Haswell"], avx512: true) == "Haswell")
        #expect(BLASRuntime.preferredCoreType(environment: ["PROPHRL_BLAS_CORETYPE": "inherit"], avx512: true) == nil)
        #expect(BLASRuntime.preferredCoreType(environment: [:], avx512: true, deterministic: true) == "Haswell")
    }

    @Test func deterministicModeRepeatsBitForBit() throws {
        let original = BLASRuntime.threads
        defer { try? BLASRuntime.setThreads(original) }
        BLASRuntime.enableDeterministicMode()
        let a = try randn([96, 200], seed: 1), b = try randn([200, 64], seed: 2)
        func run() throws -> [Float] {
            let (value, grads) = try valueAndGrad(at: [a, b]) { p in try p[0].matmul(p[1]).gelu(approximate: true).softmax().sum() }
            return [try value.item()] + grads[0].scalars + grads[1].scalars
        }
        #expect(try run() == run())
    }

    @Test func parallelKernelsGiveTheSameBitsAtOneAndTwoThreads() throws {
        let original = BLASRuntime.threads
        defer { try? BLASRuntime.setThreads(original) }
        let q = try randn([2, 64, 4, 32], seed: 5), k = try randn([2, 96, 4, 32], seed: 6), v = try randn([2, 96, 4, 32], seed: 7)
        let x = try randn([512, 128], seed: 8)
        func run() throws -> [[Float]] {
            let (_, attentionGrads) = try valueAndGrad(at: [q, k, v]) { p in
                try Tensor.attention(query: p[0], key: p[1], value: p[2]).square().sum()
            }
            let (_, normGrads) = try valueAndGrad(at: [x]) { p in try p[0].layerNorm().gelu(approximate: true).silu().sum() }
            return attentionGrads.map(\.scalars) + normGrads.map(\.scalars)
                + [try Tensor.attention(query: q, key: k, value: v).scalars, x.tanh().scalars,
                   try (x * x.slice(axis: 0, 0..<1)).scalars, try x.transposed().scalars,
                   try x.multiplyAdd(x.slice(axis: 1, 0..<1), x.slice(axis: 0, 3..<4)).scalars,
                   try x.sum(axis: 0).scalars, try x.sum(axis: 1).scalars, try x.slice(axis: 1, 5..<100).scalars]
        }
        try BLASRuntime.setThreads(1)
        let serial = try run()
        try BLASRuntime.setThreads(2)
        let parallel = try run()
        #expect(serial == parallel)
        // The parallel strided kernels agree with plain loops.
        let row = Array(x.scalars[0..<128])
        let values = x.scalars
        let product: [Float] = (0..<(512 * 128)).map { (i: Int) -> Float in values[i] * row[i % 128] }
        let transposed: [Float] = (0..<(512 * 128)).map { (i: Int) -> Float in values[(i % 512) * 128 + i / 512] }
        #expect(parallel[6] == product)
        #expect(parallel[7] == transposed)
        let columnSums = (0..<128).map { j in (0..<512).reduce(Float(0)) { $0 + values[$1 * 128 + j] } }
        #expect(parallel[9] == columnSums)
        let naive = AttentionTests.naive(q, k, v, mask: nil)
        #expect(allClose(parallel[4], naive, rtol: 1e-4, atol: 1e-5))
    }

    @Test func loadedKernelComputesCorrectly() throws {
        // Whatever kernel this process loaded (Haswell, or SkylakeX when relaunched) must agree with a naive product.
        let a = try randn([33, 70], seed: 3), b = try randn([70, 41], seed: 4)
        let c = try a.matmul(b)
        var worst = 0.0
        for i in 0..<33 {
            for j in 0..<41 {
                var s = 0.0
                for k in 0..<70 { s += Double(a.scalars[i * 70 + k]) * Double(b.scalars[k * 41 + j]) }
                worst = max(worst, abs(s - Double(c.scalars[i * 41 + j])))
            }
        }
        #expect(worst < 1e-4)
    }
}
