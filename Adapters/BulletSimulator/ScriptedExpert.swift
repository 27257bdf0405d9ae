import Foundation
import ProphRLCore

/// A scripted demonstrator: waypoints computed from privileged object state, followed by bounded Cartesian
/// steps, with seeded noise on the waypoints and on each step so demonstrations differ between seeds.
public struct ScriptedExpert: Sendable {
    /// One waypoint: TCP position, gripper yaw, gripper openness, and steps to wait once reached.
    public struct Waypoint: Sendable, Equatable {
        /// TCP position (m).
        public var position: Vector3
        /// Gripper yaw (rad); roll π and pitch 0 keep the tool pointing down.
        public var yaw: Double
        /// Gripper openness to command.
        public var gripper: Double
        /// Control steps to dwell after reaching it.
        public var dwell: Int
        /// Largest translation per step while heading here (m).
        public var speed: Double
    }

    /// The plan.
    public private(set) var waypoints: [Waypoint]
    /// Index of the current waypoint.
    public private(set) var index = 0
    var dwelt = 0
    var rng: SeededGenerator
    /// Standard deviation of the per-step translation noise (m).
    public let stepNoise: Double

    /// Plans the task from the run's privileged state; `seed` drives the noise.
    public init(run: SimulationRun, seed: UInt64, waypointNoise: Double = 0.003, stepNoise: Double = 0.0005) {
        var rng = SeededGenerator(seed: seed ^ 0xE5E7_1234)
        self.stepNoise = stepNoise
        let n = { (scale: Double) -> Double in rng.nextGaussian() * scale }
        let scene = run.scene
        let layout = scene.layout
        let o = scene.initialObjectPosition
        let jitter = Vector3(n(waypointNoise), n(waypointNoise), 0)
        var plan: [Waypoint] = []
        func add(_ p: Vector3, _ yaw: Double, _ g: Double, dwell: Int = 0, speed: Double = 0.04) {
            plan.append(Waypoint(position: p, yaw: yaw, gripper: g, dwell: dwell, speed: speed))
        }
        switch run.task {
        case .pickBottle:
            let yaw = Double.pi / 2 + n(0.05)
            let g = Vector3(o.x, o.y, 0) + jitter
            add(Vector3(g.x, g.y, 0.30), yaw, 1)
            add(Vector3(g.x, g.y, 0.11), yaw, 1, speed: 0.03)
            add(Vector3(g.x, g.y, 0.11), yaw, 0, dwell: 5)
            add(Vector3(g.x, g.y, 0.28), yaw, 0, dwell: 40, speed: 0.03)
        case .placeCube:
            let yaw = layout.objectYaw + Double.pi / 2 + n(0.03)
            let g = Vector3(o.x, o.y, 0) + jitter
            let t = (layout.target ?? .zero) + Vector3(n(waypointNoise), n(waypointNoise), 0)
            add(Vector3(g.x, g.y, 0.22), yaw, 1)
            add(Vector3(g.x, g.y, 0.03), yaw, 1, speed: 0.03)
            add(Vector3(g.x, g.y, 0.03), yaw, 0, dwell: 5)
            add(Vector3(g.x, g.y, 0.15), yaw, 0)
            add(Vector3(t.x, t.y, 0.15), yaw, 0)
            add(Vector3(t.x, t.y, 0.035), yaw, 0, dwell: 2, speed: 0.02)
            add(Vector3(t.x, t.y, 0.035), yaw, 1, dwell: 5)
            add(Vector3(t.x, t.y, 0.20), yaw, 1, dwell: 40)
        case .pullTissue:
            let yaw = layout.objectYaw + Double.pi / 2 + n(0.03)
            let g = Vector3(o.x, o.y, 0) + Vector3(n(waypointNoise), 0, 0)
            add(Vector3(g.x, g.y, 0.30), yaw, 1)
            add(Vector3(g.x, g.y, 0.12), yaw, 1, speed: 0.03)
            add(Vector3(g.x, g.y, 0.12), yaw, 0, dwell: 5)
            add(Vector3(g.x, g.y, 0.32), yaw, 0, dwell: 20, speed: 0.02)
        case .placeBowl:
            // Grasp the wall on the +y side with the closing axis radial (one finger inside, one outside).
            let yaw = Double.pi / 2
            let g = Vector3(o.x, o.y + 0.0775, 0) + Vector3(n(waypointNoise), n(0.001), 0)
            let t = (layout.target ?? .zero) + Vector3(n(waypointNoise), 0.0775 + n(waypointNoise), 0)
            add(Vector3(g.x, g.y, 0.25), yaw, 1)
            add(Vector3(g.x, g.y, 0.045), yaw, 1, speed: 0.03)
            add(Vector3(g.x, g.y, 0.045), yaw, 0, dwell: 5)
            add(Vector3(g.x, g.y, 0.16), yaw, 0)
            add(Vector3(t.x, t.y, 0.16), yaw, 0)
            add(Vector3(t.x, t.y, 0.05), yaw, 0, dwell: 2, speed: 0.02)
            add(Vector3(t.x, t.y, 0.05), yaw, 1, dwell: 5)
            add(Vector3(t.x, t.y, 0.22), yaw, 1, dwell: 40)
        }
        waypoints = plan
        self.rng = rng
    }

    /// The next 7-D action (`.absoluteDifference`) from the run's commanded pose.
    public mutating func nextAction(for run: SimulationRun) throws -> [Double] {
        let current = run.commandedPose
        let w = waypoints[index]
        let delta = w.position - current.position
        let distance = delta.norm
        var step = distance > w.speed ? (w.speed / distance) * delta : delta
        let reached = distance <= w.speed
        step = step + Vector3(rng.nextGaussian() * stepNoise, rng.nextGaussian() * stepNoise, rng.nextGaussian() * stepNoise)
        let rpy = current.rotation.rpy
        let dRoll = ScriptedExpert.wrap(Double.pi - rpy.roll), dPitch = -rpy.pitch
        let dYaw = ScriptedExpert.wrap(w.yaw - rpy.yaw)
        let limit = 0.25
        let clamp = { (v: Double) in min(max(v, -limit), limit) }
        if reached && abs(dYaw) < 0.01 {
            if dwelt >= w.dwell, index + 1 < waypoints.count {
                index += 1
                dwelt = 0
            } else {
                dwelt += 1
            }
        }
        return [step.x, step.y, step.z, clamp(dRoll), clamp(dPitch), clamp(dYaw), w.gripper]
    }

    /// Whether the plan's last waypoint has been reached and dwelt on.
    public var finished: Bool { index == waypoints.count - 1 && dwelt >= waypoints[index].dwell }

    static func wrap(_ a: Double) -> Double {
        var x = a.truncatingRemainder(dividingBy: 2 * Double.pi)
        if x >= Double.pi { x -= 2 * Double.pi }
        if x < -Double.pi { x += 2 * Double.pi }
        return x
    }
}
