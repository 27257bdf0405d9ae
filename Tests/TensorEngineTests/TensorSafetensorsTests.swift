import Foundation
import ProphRLCore
import Testing
@testable import TensorEngine

@Suite struct TensorSafetensorsTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/tensor-engine/torch_params.safetensors").path

    @Test func readsTheFileWrittenByPyTorch() throws {
        let (tensors, metadata) = try TensorSafetensors.read(Self.fixture)
        #expect(metadata["format"] == "pt")
        #expect(tensors["blocks.0.attn.qkv.weight"]?.shape == [2, 3])
        #expect(tensors["blocks.0.attn.qkv.weight"]?.scalars == [-1, -0.5, 0, 0.5, 1, 1.5])
        #expect(tensors["blocks.0.attn.qkv.bias"]?.scalars == [0.25, -4])
        #expect(tensors["head.f16"]?.scalars == [1.5, -2.25, 65504, 0x1p-14])
        #expect(tensors["head.bf16"]?.shape == [2, 2])
        #expect(tensors["head.bf16"]?.scalars == [1, -3.5, 0x1p20, 0.0078125])
    }

    @Test func moduleParametersRoundTripThroughAFile() throws {
        var rng = SeededGenerator(seed: 1)
        let model = try MLP([3, 4, 2], rng: &rng)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tensor-engine-\(getpid()).safetensors").path
        defer { unlink(path) }
        try TensorSafetensors.write(model.parameters(), to: path, metadata: ["step": "7"])
        let other = try MLP([3, 4, 2], rng: &rng)
        let (loaded, metadata) = try TensorSafetensors.read(path)
        try other.update(parameters: loaded, strict: true)
        #expect(metadata == ["step": "7"])
        for (key, value) in model.parameters() { #expect(other.parameters()[key]?.scalars == value.scalars) }
    }

    @Test func optimizerStateRoundTripsThroughSafetensors() throws {
        var rng = SeededGenerator(seed: 3)
        let model = try Linear(3, 2, rng: &rng)
        let optimizer = AdamW(learningRate: 0.01)
        try optimizer.update(model, gradients: ["weight": Tensor.ones([2, 3]), "bias": Tensor.ones([2])])
        let bytes = try TensorSafetensors.encode(optimizer.stateTensors())
        let restored = AdamW(learningRate: 0.01)
        try restored.loadState(TensorSafetensors.decode(bytes, file: "state").tensors)
        #expect(restored.step == 1)
        let saved = optimizer.stateTensors(), loaded = restored.stateTensors()
        #expect(saved.keys.sorted() == ["m.bias", "m.weight", "step", "v.bias", "v.weight"])
        for key in saved.keys { #expect(saved[key]?.scalars == loaded[key]?.scalars) }
    }

    @Test func badFilesGiveTypedErrors() throws {
        let bytes = try TensorSafetensors.encode(["w": Tensor([1, 2, 3, 4], shape: [2, 2])])
        #expect(throws: CheckpointError.self) { try TensorSafetensors.decode(Array(bytes.dropLast(3)), file: "cut") }
        #expect(throws: CheckpointError.self) { try TensorSafetensors.decode(Array(bytes.prefix(5)), file: "cut") }
        let ints = try Safetensors.encode([NamedTensor(name: "ids", dtype: .i32, shape: [1], bytes: [1, 0, 0, 0])])
        #expect(throws: TensorError.unsupportedDType(name: "ids", dtype: "I32")) { try TensorSafetensors.decode(ints, file: "ints") }
        #expect(throws: TensorError.self) { try TensorSafetensors.read("/nonexistent/file.safetensors") }
        var rng = SeededGenerator(seed: 2)
        let model = try Linear(2, 2, rng: &rng)
        #expect(throws: TensorError.missingKey(op: "update", key: "bias")) {
            try model.update(parameters: ["weight": Tensor.zeros([2, 2])], strict: true)
        }
    }
}
