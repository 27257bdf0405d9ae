import CheckpointSQLite
import ProphRLCore
import ProphRLTesting
import Testing

/// The contract of the `CheckpointStore` port, run against the in-memory fake and the SQLite adapter,
/// so the fake cannot drift from the real store.
@Suite("CheckpointStore contract")
struct CheckpointStoreContractTests {
    @Test("The run record round-trips and is written once", arguments: StoreKind.allCases)
    func runRecord(kind: StoreKind) throws {
        let dir = try TemporaryDirectory()
        let store = try kind.make(in: dir)
        #expect(throws: CheckpointError.noRun(file: store.location)) { _ = try store.runRecord() }
        #expect(throws: CheckpointError.noRun(file: store.location)) { try store.save(try Fixtures.checkpoint(step: 1)) }
        try store.createRun(try Fixtures.run())
        #expect(try store.runRecord() == (try Fixtures.run()))
        #expect(throws: CheckpointError.runExists(file: store.location)) { try store.createRun(try Fixtures.run()) }
    }

    @Test("Checkpoints round-trip exactly: tensors, optimizer state, RNG states, metrics, tags", arguments: StoreKind.allCases)
    func roundTrip(kind: StoreKind) throws {
        let dir = try TemporaryDirectory()
        let store = try kind.make(in: dir)
        try store.createRun(try Fixtures.run())
        var rng = SeededGenerator(seed: 3)
        var tensors: [NamedTensor] = []
        for (i, dtype) in DType.allCases.enumerated() {
            for (j, shape) in [[], [0], [5], [2, 3], [1, 2, 1, 3]].enumerated() {
                let count = shape.reduce(1, *) * dtype.byteSize
                let bytes = (0..<count).map { _ in dtype == .bool ? UInt8(rng.next() & 1) : UInt8(truncatingIfNeeded: rng.next()) }
                tensors.append(try NamedTensor(name: "t\(i).s\(j)", dtype: dtype, shape: shape, bytes: bytes))
            }
        }
        let checkpoint = try Checkpoint(step: 42, wallTime: 1_764_000_123.456, metrics: ["loss": 0.1, "success": 2.0 / 3.0],
                                        tags: ["best", "last"], tensors: tensors, optimizerState: Array(tensors.prefix(3)),
                                        rngStates: ["a": rng.state, "b": [UInt64.max, 0, 1, 2]])
        try store.save(checkpoint)
        #expect(try store.load(step: 42) == checkpoint)
        #expect(try store.latest() == checkpoint)
        #expect(try store.list() == [CheckpointSummary(checkpoint)])
        #expect(throws: CheckpointError.stepExists(file: store.location, step: 42)) { try store.save(checkpoint) }
        #expect(throws: CheckpointError.noSuchStep(file: store.location, step: 7)) { _ = try store.load(step: 7) }
    }

    @Test("latest, best and list follow steps and metrics", arguments: StoreKind.allCases)
    func latestAndBest(kind: StoreKind) throws {
        let dir = try TemporaryDirectory()
        let store = try kind.make(in: dir)
        try store.createRun(try Fixtures.run())
        #expect(try store.latest() == nil)
        #expect(try store.best(metric: "loss", mode: .minimize) == nil)
        for (step, loss) in [(30, 0.5), (10, 0.2), (20, 0.9)] { try store.save(try Fixtures.checkpoint(step: step, loss: loss)) }
        #expect(try store.latest()?.step == 30)
        #expect(try store.best(metric: "loss", mode: .minimize)?.step == 10)
        #expect(try store.best(metric: "loss", mode: .maximize)?.step == 20)
        #expect(try store.list().map(\.step) == [10, 20, 30])
        #expect(try store.list().first?.byteCount == 3 * 64 + 32)
    }

    @Test("Retention after save keeps exactly the newest N and the best M", arguments: StoreKind.allCases)
    func retention(kind: StoreKind) throws {
        let dir = try TemporaryDirectory()
        let store = try kind.make(in: dir)
        try store.createRun(try Fixtures.run())
        let losses = [0.9, 0.1, 0.8, 0.7, 0.3, 0.6, 0.5]
        let policy = try RetentionPolicy(keepLast: 2, keepBest: 2, metric: "loss", mode: .minimize)
        var expected: [CheckpointSummary] = []
        for (i, loss) in losses.enumerated() {
            let checkpoint = try Fixtures.checkpoint(step: i, loss: loss)
            try store.save(checkpoint, retention: policy)
            expected.append(CheckpointSummary(checkpoint))
            // Independent reference: apply the policy to the full history so far.
            expected = expected.filter { policy.stepsToKeep(from: expected).contains($0.step) }
            #expect(try store.list() == expected)
        }
        // Final state by hand: newest 5, 6; best 1 (0.1), 4 (0.3).
        #expect(try store.list().map(\.step) == [1, 4, 5, 6])
        for step in [1, 4, 5, 6] { #expect(try store.load(step: step) == (try Fixtures.checkpoint(step: step, loss: losses[step]))) }
        #expect(try store.applyRetention(try RetentionPolicy(keepLast: 1)) == [1, 4, 5])
        try store.vacuum()
        #expect(try store.list().map(\.step) == [6])
    }

    @Test("Metrics log: series per name, replaced on re-log, validated", arguments: StoreKind.allCases)
    func metricsLog(kind: StoreKind) throws {
        let dir = try TemporaryDirectory()
        let store = try kind.make(in: dir)
        try store.createRun(try Fixtures.run())
        for step in [3, 1, 2] { try store.logMetrics(step: step, ["loss": 1.0 / Double(step), "reward": Double(step)]) }
        try store.logMetrics(step: 2, ["loss": 0.25])
        #expect(try store.metricSeries("loss") == [MetricSample(step: 1, value: 1), MetricSample(step: 2, value: 0.25),
                                                    MetricSample(step: 3, value: 1.0 / 3.0)])
        #expect(try store.metricNames() == ["loss", "reward"])
        #expect(try store.metricSeries("none").isEmpty)
        #expect(throws: ValidationError.self) { try store.logMetrics(step: 1, ["loss": .nan]) }
        #expect(throws: ValidationError.self) { try store.logMetrics(step: -1, ["loss": 1]) }
        #expect(throws: ValidationError.self) { try store.logMetrics(step: 1, ["": 1]) }
    }
}
