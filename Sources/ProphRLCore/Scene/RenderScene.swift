/// Everything a renderer draws: primitives and lighting.
public struct RenderScene: Sendable, Equatable {
    /// The solids.
    public var primitives: [ScenePrimitive]
    /// Background colour, components in [0, 1].
    public var background: Vector3
    /// Direction towards the light (world frame, need not be unit).
    public var lightDirection: Vector3
    /// Ambient light fraction in [0, 1].
    public var ambient: Double

    /// Creates a scene.
    public init(primitives: [ScenePrimitive], background: Vector3 = Vector3(0.55, 0.6, 0.68),
                lightDirection: Vector3 = Vector3(-0.4, 0.3, 1), ambient: Double = 0.35) {
        self.primitives = primitives
        self.background = background
        self.lightDirection = lightDirection
        self.ambient = ambient
    }
}
