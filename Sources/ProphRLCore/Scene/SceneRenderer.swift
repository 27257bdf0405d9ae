/// Port: draws a scene through a camera (the software rasteriser; a GPU renderer could stand in).
public protocol SceneRenderer: Sendable {
    /// Renders `scene` as seen by `camera`.
    func render(_ scene: RenderScene, camera: SceneCamera) throws -> RenderedView
}
