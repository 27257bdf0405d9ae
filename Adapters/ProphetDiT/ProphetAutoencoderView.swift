import Foundation
import ProphRLCore
import TensorEngine

/// The ``FrameView`` port backed by a Prophet model's autoencoder: the current frame as Prophet would draw it. The
/// frames since the last decision (the previous one first, as Prophet's clip starts from the current frame) are
/// encoded and decoded together, sharpened against the episode's first frame when the model has a refiner — the
/// same path a generated chunk takes to pixels, without the DiT.
public final class ProphetAutoencoderView: FrameView, @unchecked Sendable {
    // @unchecked: `model` holds reference-type modules; every access goes through `lock`.
    private let model: ProphetModel
    private let lock = NSLock()

    /// Wraps `model` (which must not be used elsewhere afterwards).
    public init(model: ProphetModel) { self.model = model }

    /// The last of `recent` after the round trip; `recent` is padded with its last frame to the 1 + 4k frames the
    /// causal autoencoder takes.
    /// - Throws: ``ValidationError`` naming `recent` when it is empty or its frames are not the model's size.
    public func view(recent: [RGBImage], first: RGBImage) async throws -> RGBImage {
        let cfg = model.configuration
        guard let last = recent.last else {
            throw ValidationError.invalid(argument: "recent", reason: "expected at least the current frame, got none")
        }
        for frame in recent + [first] where frame.width != cfg.width || frame.height != cfg.height {
            throw ValidationError.shapeMismatch(argument: "recent", expected: "\(cfg.width)x\(cfg.height) frames",
                                                actual: "\(frame.width)x\(frame.height)")
        }
        let padded = recent + Array(repeating: last, count: (4 - (recent.count - 1) % 4) % 4)
        let video = try lock.withLock {
            let autoencoder = model.autoencoder
            let reference = autoencoder.refinesWithReference ? try ProphetWorldModel.tensor(frames: [first]) : nil
            return try noGrad {
                try autoencoder.decodeNormalized(autoencoder.encodeNormalized(ProphetWorldModel.tensor(frames: padded)),
                                                 reference: reference)
            }
        }
        return try ProphetWorldModel.images(video: video)[recent.count - 1]
    }
}
