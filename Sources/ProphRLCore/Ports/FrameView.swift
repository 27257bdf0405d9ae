/// Port: how a policy looks at camera frames. A world model's autoencoder round trip, for instance, shows a policy
/// the simulator's frames as the world model would draw them, so that it reads real and generated frames alike.
public protocol FrameView: Sendable {
    /// The frame the policy sees now. `recent` holds the frames since the previous decision — the frame the policy
    /// saw then first, the current frame last (just the current one at a reset); `first` is the episode's first frame.
    func view(recent: [RGBImage], first: RGBImage) async throws -> RGBImage
}
