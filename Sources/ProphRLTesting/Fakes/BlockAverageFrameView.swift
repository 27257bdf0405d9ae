import ProphRLCore

/// In-memory ``FrameView``: the current frame with each `block`×`block` square replaced by its mean colour — lossy and
/// deterministic like an autoencoder round trip, with no model. The earlier recent frames and the first frame are unused.
public struct BlockAverageFrameView: FrameView {
    /// Side of the averaged squares (edge squares may be smaller).
    public let block: Int

    /// Creates the view; a `block` below 1 is treated as 1 (the identity).
    public init(block: Int = 2) { self.block = max(1, block) }

    /// The last of `recent`, block-averaged.
    /// - Throws: ``ValidationError`` naming `recent` when it is empty.
    public func view(recent: [RGBImage], first: RGBImage) async throws -> RGBImage {
        guard let frame = recent.last else {
            throw ValidationError.invalid(argument: "recent", reason: "expected at least the current frame, got none")
        }
        var pixels = frame.pixels
        for y0 in stride(from: 0, to: frame.height, by: block) {
            for x0 in stride(from: 0, to: frame.width, by: block) {
                let ys = y0..<min(y0 + block, frame.height), xs = x0..<min(x0 + block, frame.width)
                for c in 0..<3 {
                    var sum = 0
                    for y in ys { for x in xs { sum += Int(frame.pixels[(y * frame.width + x) * 3 + c]) } }
                    let mean = UInt8((Double(sum) / Double(ys.count * xs.count)).rounded())
                    for y in ys { for x in xs { pixels[(y * frame.width + x) * 3 + c] = mean } }
                }
            }
        }
        return try RGBImage(width: frame.width, height: frame.height, pixels: pixels)
    }
}
