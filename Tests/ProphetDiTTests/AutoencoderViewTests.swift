import ProphetDiT
import ProphRLCore
import TensorEngine
import Testing

@Suite("ProphetAutoencoderView (the frame a policy sees through Prophet's autoencoder)")
struct AutoencoderViewTests {
    static func frame(_ i: Int) throws -> RGBImage {
        try RGBImage(width: 32, height: 32, pixels: (0..<(32 * 32 * 3)).map { UInt8((($0 / 3) * (i + 3) + 17 * i) % 256) })
    }

    @Test("the view is the last recent frame of the model's own round trip of the padded window; bad input is typed")
    func matchesReconstruction() async throws {
        let model = try ProphetModel(configuration: .tiny, seed: 2)
        let reference = try ProphetModel(configuration: .tiny, seed: 2)
        let view = ProphetAutoencoderView(model: model)
        let frames = try (0..<3).map(Self.frame)
        // Three recent frames are padded with the last to 1 + 4; the view is frame 2 of the reconstruction.
        let padded = frames + [frames[2], frames[2]]
        let expected = try ProphetWorldModel.images(video: reference.reconstruct(ProphetWorldModel.tensor(frames: padded)))[2]
        #expect(try await view.view(recent: frames, first: frames[0]) == expected)
        // One frame alone (a reset) is its own round trip, and it differs from the raw frame.
        let single = try ProphetWorldModel.images(video: reference.reconstruct(ProphetWorldModel.tensor(frames: [frames[1]])))[0]
        let viewed = try await view.view(recent: [frames[1]], first: frames[0])
        #expect(viewed == single && viewed != frames[1])
        await #expect(throws: ValidationError.self) { _ = try await view.view(recent: [], first: frames[0]) }
        await #expect(throws: ValidationError.self) {
            _ = try await view.view(recent: [try RGBImage(width: 16, height: 16)], first: frames[0])
        }
    }
}
