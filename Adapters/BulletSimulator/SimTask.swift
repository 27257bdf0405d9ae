import ProphRLCore

/// The four tabletop tasks of the reference simulator (simulator.md §6; docs/simulator.md).
public enum SimTask: String, Sendable, CaseIterable, Hashable {
    /// Lift the bottle ≥ 10 cm and hold it for 1 s without tilting more than 15°.
    case pickBottle = "pick-bottle"
    /// Put the cube on the target disk and let go.
    case placeCube = "place-cube"
    /// Pull the tissue ≥ 10 cm out of its box.
    case pullTissue = "pull-tissue"
    /// Put the bowl on the target mat, upright, and let go.
    case placeBowl = "place-bowl"

    /// Parses a task name.
    /// - Throws: ``SimulatorError/unknownTask(name:known:)`` for any other name.
    public init(name: String) throws {
        guard let task = SimTask(rawValue: name) else {
            throw SimulatorError.unknownTask(name: name, known: SimTask.allCases.map(\.rawValue))
        }
        self = task
    }

    /// The instruction given to the policy.
    public var instruction: String {
        switch self {
        case .pickBottle: return "pick up the bottle"
        case .placeCube: return "place the cube on the target"
        case .pullTissue: return "pull out the tissue"
        case .placeBowl: return "place the bowl on the mat"
        }
    }

    /// Control steps (at 10 Hz) before the episode is cut off.
    public var stepLimit: Int {
        switch self {
        case .pickBottle: return 80
        case .placeCube: return 120
        case .pullTissue: return 80
        case .placeBowl: return 120
        }
    }

    /// Candidate nominal positions (x, y, m, base frame) of the manipulated object; a seed picks one.
    var objectGrid: [(Double, Double)] {
        switch self {
        case .pickBottle: return [(-0.60, -0.15), (-0.70, -0.15), (-0.60, -0.30), (-0.70, -0.30)]
        case .placeCube: return [(-0.60, -0.30), (-0.70, -0.30), (-0.65, -0.22)]
        case .pullTissue: return [(-0.62, -0.15), (-0.72, -0.15), (-0.62, -0.28)]
        case .placeBowl: return [(-0.62, -0.30), (-0.72, -0.30)]
        }
    }

    /// Candidate nominal target positions (place tasks).
    var targetGrid: [(Double, Double)] {
        switch self {
        case .placeCube: return [(-0.60, 0.02), (-0.70, 0.02), (-0.65, 0.10)]
        case .placeBowl: return [(-0.62, 0.05), (-0.72, 0.05)]
        default: return []
        }
    }

    /// Seeded layout: a grid cell, ±3 cm jitter and ±30° yaw for the object; the target likewise in xy.
    public func layout(seed: UInt64) -> TaskLayout {
        var rng = SeededGenerator(seed: seed ^ 0x5EED_7A5C)
        let jitter = 0.03, yawJitter = Double.pi / 6
        func pick(_ grid: [(Double, Double)]) -> Vector3 {
            let cell = grid[Int(rng.next() % UInt64(grid.count))]
            return Vector3(cell.0 + (rng.nextUniform() * 2 - 1) * jitter, cell.1 + (rng.nextUniform() * 2 - 1) * jitter, 0)
        }
        let object = pick(objectGrid)
        let yaw = (rng.nextUniform() * 2 - 1) * yawJitter
        let target = targetGrid.isEmpty ? nil : pick(targetGrid)
        return TaskLayout(object: object, objectYaw: yaw, target: target)
    }
}

/// Where a task's objects start.
public struct TaskLayout: Sendable, Equatable {
    /// Object position on the table (z = 0; the builder lifts it onto the surface).
    public var object: Vector3
    /// Object yaw (rad).
    public var objectYaw: Double
    /// Target centre on the table, for place tasks.
    public var target: Vector3?
}
