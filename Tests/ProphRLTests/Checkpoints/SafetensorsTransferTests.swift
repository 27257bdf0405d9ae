import ProphRL
import ProphRLCore
import ProphRLTesting
import Testing

@Suite("Safetensors transfer")
struct SafetensorsTransferTests {
    static func store() throws -> InMemoryCheckpointStore {
        let store = InMemoryCheckpointStore(label: "mem")
        try store.createRun(try RunRecord(kind: "fa-grpo", configJSON: #"{"lr":1e-5}"#, seed: 9, codeRevision: "r1",
                                          blasThreads: 1, blasKernel: "Haswell", created: "2026-11-25T08:00:00Z"))
        let base = try NamedTensor(name: "blocks.0.attn.qkv.weight", values: [Float(1), 2, 3, 4], shape: [2, 2])
        let loraA = try NamedTensor(name: "blocks.0.attn.qkv.lora_A.weight", values: [Float(5), 6], shape: [1, 2])
        let loraB = try NamedTensor(name: "blocks.0.attn.qkv.lora_B.weight", values: [Float(7), 8], shape: [2, 1])
        let adam = try NamedTensor(name: "adam.m.blocks.0.attn.qkv.weight", values: [Float](repeating: 0.5, count: 4), shape: [2, 2])
        for step in [10, 20] {
            try store.save(try Checkpoint(step: step, wallTime: 0, metrics: ["loss": Double(step)], tensors: [base, loraA, loraB],
                                          optimizerState: [adam]))
        }
        return store
    }

    @Test("Export writes the parameters under their dotted names with run metadata")
    func export() throws {
        let store = try Self.store()
        let contents = try Safetensors.decode(try SafetensorsTransfer.export(from: store, step: nil), file: "x")
        #expect(contents.tensors == (try store.load(step: 20)).tensors)
        #expect(contents.metadata["prophrl.step"] == "20")
        #expect(contents.metadata["prophrl.seed"] == "9")
        #expect(contents.metadata["prophrl.metric.loss"] == "20.0")
        let withOptimizer = try Safetensors.decode(try SafetensorsTransfer.export(from: store, step: 10, includeOptimizer: true), file: "x")
        #expect(withOptimizer.tensors.map(\.name).contains("optimizer.adam.m.blocks.0.attn.qkv.weight"))
        #expect(throws: CheckpointError.noSuchStep(file: "mem", step: 15)) { _ = try SafetensorsTransfer.export(from: store, step: 15) }
    }

    @Test("Import takes base weights and LoRA adapters separately")
    func importParts() throws {
        let file = try Safetensors.decode(try SafetensorsTransfer.export(from: try Self.store(), step: 20), file: "w.safetensors")
        let (baseRun, base) = try SafetensorsTransfer.importRun(file, part: .base, source: "w.safetensors", codeRevision: "r2",
                                                                created: "now", wallTime: 1)
        #expect(base.tensors.map(\.name) == ["blocks.0.attn.qkv.weight"])
        #expect(baseRun.kind == "import-base")
        let (loraRun, lora) = try SafetensorsTransfer.importRun(file, part: .lora, source: "w.safetensors", codeRevision: "r2",
                                                                created: "now", wallTime: 1)
        #expect(lora.tensors.map(\.name) == ["blocks.0.attn.qkv.lora_A.weight", "blocks.0.attn.qkv.lora_B.weight"])
        #expect(loraRun.kind == "import-lora")
        #expect(try JSONValue.parse(loraRun.configJSON)["metadata"]?["prophrl.kind"] == .string("fa-grpo"))
        #expect(SafetensorsTransfer.isLoRA("model.lora_embedding_A.default") && !SafetensorsTransfer.isLoRA("flora_x.weight"))
        let baseOnly = Safetensors.Contents(tensors: base.tensors, metadata: [:])
        #expect(throws: ValidationError.self) {
            _ = try SafetensorsTransfer.importRun(baseOnly, part: .lora, source: "b", codeRevision: "", created: "", wallTime: 0)
        }
    }
}
