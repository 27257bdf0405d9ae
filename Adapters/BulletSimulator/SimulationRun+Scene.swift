import ProphRLCore

extension SimulationRun {
    /// The default third-person camera: D455-like intrinsics, 0.65 m in front of the workspace and 0.62 m up,
    /// looking at the middle of the task grid.
    public static func defaultCamera(resolution: Int) throws -> SceneCamera {
        try SceneCamera.d455(width: resolution, height: resolution, eye: Vector3(-1.3, -0.1, 0.62),
                               target: Vector3(-0.64, -0.1, 0.06))
    }

    /// What the camera sees now: table, task bodies, markers, arm links and fingers at their current poses.
    public func renderScene() throws -> RenderScene {
        var primitives = scene.markers
        for (body, visual) in scene.bodies {
            try append(visual, at: world.state(body: body).pose, to: &primitives)
        }
        if let tissue = scene.tissue, let visual = scene.tissueVisual {
            try append(visual, at: world.pose(multibody: tissue, link: 0), to: &primitives)
        }
        let armColour = Vector3(0.7, 0.72, 0.75), gripperColour = Vector3(0.18, 0.18, 0.2)
        for link in 0..<ArmModel.linkCount {
            let pose = world.pose(multibody: arm, link: link)
            let finger = link >= 6
            let visual = VisualBody(shapes: model.linkShapes[link], colour: finger ? gripperColour : armColour,
                                    texture: finger ? .plain : .stripes(period: 0.05),
                                    segment: finger ? TaskScene.Segment.gripper : TaskScene.Segment.arm)
            try append(visual, at: pose, to: &primitives)
        }
        return RenderScene(primitives: primitives)
    }

    private func append(_ visual: VisualBody, at pose: Frame, to primitives: inout [ScenePrimitive]) throws {
        for shape in visual.shapes {
            let placed = try pose.composed(with: shape.local).pose
            let geometry: ScenePrimitive.Geometry = shape.kind == .box
                ? .box(halfExtents: shape.halfExtents)
                : .cylinder(radius: shape.halfExtents.x, halfHeight: shape.halfExtents.z)
            primitives.append(ScenePrimitive(geometry: geometry, pose: placed, colour: visual.colour,
                                             texture: visual.texture, segment: visual.segment))
        }
    }
}
