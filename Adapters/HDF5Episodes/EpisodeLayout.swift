import CHDF5
import ProphRLCore

/// Maps an ``Episode`` to and from one robomimic/LIBERO demo group (see ``HDF5EpisodeStore``).
enum EpisodeLayout {
    /// Metres per unit of openness per finger (the simulator's 5 cm stroke).
    static let fingerStroke = 0.05

    static func write(_ episode: Episode, to file: HDF5File, group: String, camera: SceneCamera?) throws {
        try file.createGroup(group)
        try file.createGroup("\(group)/obs")
        try file.createGroup("\(group)/prophrl")
        let f64 = prophrl_h5t_double(), f32 = prophrl_h5t_float(), i64 = prophrl_h5t_int64(), u8 = prophrl_h5t_uint8()

        // Actions of effector 0, one row per executed step (the LIBERO view).
        var actions: [Float] = []
        for chunk in episode.chunks { actions += try chunk.flat(effector: 0) }
        let samples = actions.count / EndEffectorAction.dimension
        try file.write("\(group)/actions", actions, dims: [samples, EndEffectorAction.dimension], type: f32)
        // robomimic's per-step flags: done at the last step, sparse reward 1 there on success.
        let dones = (0..<samples).map { UInt8($0 == samples - 1 ? 1 : 0) }
        let rewards = (0..<samples).map { $0 == samples - 1 && episode.success ? 1.0 : 0.0 }
        try file.write("\(group)/dones", dones, dims: [samples], type: u8)
        try file.write("\(group)/rewards", rewards, dims: [samples], type: f64)

        // Frames.
        let video = episode.video
        var pixels: [UInt8] = []
        pixels.reserveCapacity(video.frames.count * video.width * video.height * 3)
        for frame in video.frames { pixels += frame.pixels }
        try file.write("\(group)/obs/agentview_rgb", pixels, dims: [video.frames.count, video.height, video.width, 3], type: u8,
                       deflate: 4)

        // States of effector 0 (LIBERO names) and the exact states.
        let s = episode.states
        var eePos: [Double] = [], eeOri: [Double] = [], grippers: [Double] = [], joints: [Double] = []
        var positions: [Double] = [], rotations: [Double] = [], openness: [Double] = [], effectors: [Int64] = []
        var jointCounts: [Int64] = [], allJoints: [Double] = []
        let jointWidth = s.compactMap { $0.jointPositions?.count }.max() ?? 0
        for state in s {
            let e0 = state.effectors[0]
            eePos += e0.pose.position.array
            eeOri += e0.pose.rotation.rotationVector.array
            grippers += [e0.gripper * fingerStroke, -e0.gripper * fingerStroke]   // mirrored fingers, as LIBERO's
            let q = state.jointPositions ?? []
            joints += q + [Double](repeating: 0, count: jointWidth - q.count)
            effectors.append(Int64(state.effectors.count))
            for e in state.effectors {
                positions += e.pose.position.array
                rotations += e.pose.rotation.rowMajor
                openness.append(e.gripper)
            }
            jointCounts.append(state.jointPositions.map { Int64($0.count) } ?? -1)
            allJoints += q
        }
        try file.write("\(group)/obs/ee_pos", eePos, dims: [s.count, 3], type: f64)
        try file.write("\(group)/obs/ee_ori", eeOri, dims: [s.count, 3], type: f64)
        try file.write("\(group)/obs/gripper_states", grippers, dims: [s.count, 2], type: f64)
        try file.write("\(group)/obs/joint_states", joints, dims: [s.count, jointWidth], type: f64)
        try file.write("\(group)/prophrl/state_effectors", effectors, dims: [s.count], type: i64)
        try file.write("\(group)/prophrl/state_positions", positions, dims: [positions.count], type: f64)
        try file.write("\(group)/prophrl/state_rotations", rotations, dims: [rotations.count], type: f64)
        try file.write("\(group)/prophrl/state_grippers", openness, dims: [openness.count], type: f64)
        try file.write("\(group)/prophrl/state_joint_counts", jointCounts, dims: [s.count], type: i64)
        try file.write("\(group)/prophrl/state_joints", allJoints, dims: [allJoints.count], type: f64)

        // Exact chunks.
        let c = episode.chunks
        try file.write("\(group)/prophrl/chunk_steps", c.map { Int64($0.steps) }, dims: [c.count], type: i64)
        try file.write("\(group)/prophrl/chunk_max_effectors", c.map { Int64($0.maxEffectors) }, dims: [c.count], type: i64)
        let validity = c.flatMap { $0.validity.map { UInt8($0 ? 1 : 0) } }
        try file.write("\(group)/prophrl/chunk_validity", validity, dims: [validity.count], type: u8)
        let values = c.flatMap(\.values)
        try file.write("\(group)/prophrl/chunk_values", values, dims: [values.count], type: f32)

        // Camera per frame.
        if let camera {
            let n = video.frames.count
            try file.write("\(group)/camera_K", Array([[Double]](repeating: camera.intrinsicMatrix, count: n).joined()),
                           dims: [n, 3, 3], type: f64)
            try file.write("\(group)/camera_E", Array([[Double]](repeating: camera.extrinsicMatrix, count: n).joined()),
                           dims: [n, 4, 4], type: f64)
        }

        try file.setAttribute(group, "num_samples", Int64(samples), type: i64)
        try file.setAttribute(group, "prophrl_id", episode.id)
        try file.setAttribute(group, "task", episode.task)
        try file.setAttribute(group, "instruction", episode.instruction)
        try file.setAttribute(group, "seed", episode.seed, type: prophrl_h5t_uint64())
        try file.setAttribute(group, "success", UInt8(episode.success ? 1 : 0), type: u8)
        try file.setAttribute(group, "fps", video.framesPerSecond, type: f64)
    }

    static func summary(file: HDF5File, group: String, id: String) throws -> EpisodeSummary {
        let task = file.hasAttribute(group, "task") ? try file.stringAttribute(group, "task") : ""
        let success = file.hasAttribute(group, "success")
            ? try file.attribute(group, "success", type: prophrl_h5t_uint8(), zero: UInt8(0)) != 0 : false
        let chunks: Int
        if file.exists("\(group)/prophrl/chunk_steps") {
            chunks = try file.read("\(group)/prophrl/chunk_steps", type: prophrl_h5t_int64(), zero: Int64(0)).dims[0]
        } else {
            chunks = try file.read("\(group)/actions", type: prophrl_h5t_double(), zero: 0.0).dims[0]
        }
        let frames = try file.read("\(group)/obs/agentview_rgb", type: prophrl_h5t_uint8(), zero: UInt8(0)).dims.first ?? 0
        return EpisodeSummary(id: id, task: task, chunkCount: chunks, frameCount: frames, success: success)
    }

    static func read(from file: HDF5File, group: String, id: String) throws -> Episode {
        let f64 = prophrl_h5t_double()
        let rgb = try file.read("\(group)/obs/agentview_rgb", type: prophrl_h5t_uint8(), zero: UInt8(0))
        guard rgb.dims.count == 4, rgb.dims[3] == 3 else {
            throw HDF5Error.layout(path: file.path, object: "\(group)/obs/agentview_rgb", reason: "expected [F, H, W, 3], got \(rgb.dims)")
        }
        let (n, h, w) = (rgb.dims[0], rgb.dims[1], rgb.dims[2])
        let frames = try (0..<n).map { i in
            try RGBImage(width: w, height: h, pixels: Array(rgb.values[(i * h * w * 3)..<((i + 1) * h * w * 3)]))
        }
        let fps = file.hasAttribute(group, "fps") ? try file.attribute(group, "fps", type: f64, zero: 0.0) : 20
        let video = try VideoClip(frames: frames, framesPerSecond: fps)
        let task = file.hasAttribute(group, "task") ? try file.stringAttribute(group, "task") : ""
        let instruction = file.hasAttribute(group, "instruction") ? try file.stringAttribute(group, "instruction") : ""
        let seed = file.hasAttribute(group, "seed") ? try file.attribute(group, "seed", type: prophrl_h5t_uint64(), zero: UInt64(0)) : 0
        let success = file.hasAttribute(group, "success")
            ? try file.attribute(group, "success", type: prophrl_h5t_uint8(), zero: UInt8(0)) != 0 : false

        let chunks: [ActionChunk], states: [RobotState]
        if file.exists("\(group)/prophrl/chunk_steps") {
            (chunks, states) = try readExact(file, group)
        } else {
            (chunks, states) = try readLIBERO(file, group)
        }
        do {
            return try Episode(id: id, task: task, instruction: instruction, seed: seed, video: video, states: states,
                               chunks: chunks, success: success)
        } catch {
            throw HDF5Error.layout(path: file.path, object: group, reason: "\(error)")
        }
    }

    static func readExact(_ file: HDF5File, _ group: String) throws -> ([ActionChunk], [RobotState]) {
        let f64 = prophrl_h5t_double(), i64 = prophrl_h5t_int64()
        let p = "\(group)/prophrl"
        let steps = try file.read("\(p)/chunk_steps", type: i64, zero: Int64(0)).values
        let maxEffectors = try file.read("\(p)/chunk_max_effectors", type: i64, zero: Int64(0)).values
        let validity = try file.read("\(p)/chunk_validity", type: prophrl_h5t_uint8(), zero: UInt8(0)).values
        let values = try file.read("\(p)/chunk_values", type: prophrl_h5t_float(), zero: Float(0)).values
        var chunks: [ActionChunk] = []
        var v = 0, m = 0
        for (s, e) in zip(steps, maxEffectors) {
            let count = Int(s) * Int(e) * EndEffectorAction.dimension
            guard v + count <= values.count, m + Int(e) <= validity.count else {
                throw HDF5Error.layout(path: file.path, object: p, reason: "chunk data shorter than its shapes")
            }
            do {
                chunks.append(try ActionChunk(steps: Int(s), maxEffectors: Int(e), values: Array(values[v..<v + count]),
                                              validity: validity[m..<m + Int(e)].map { $0 != 0 }))
            } catch {
                throw HDF5Error.layout(path: file.path, object: p, reason: "\(error)")
            }
            v += count; m += Int(e)
        }
        let effectors = try file.read("\(p)/state_effectors", type: i64, zero: Int64(0)).values
        let positions = try file.read("\(p)/state_positions", type: f64, zero: 0.0).values
        let rotations = try file.read("\(p)/state_rotations", type: f64, zero: 0.0).values
        let grippers = try file.read("\(p)/state_grippers", type: f64, zero: 0.0).values
        let jointCounts = try file.read("\(p)/state_joint_counts", type: i64, zero: Int64(0)).values
        let joints = try file.read("\(p)/state_joints", type: f64, zero: 0.0).values
        var states: [RobotState] = []
        var e = 0, j = 0
        for (count, jointCount) in zip(effectors, jointCounts) {
            guard (e + Int(count)) * 9 <= rotations.count, j + max(0, Int(jointCount)) <= joints.count else {
                throw HDF5Error.layout(path: file.path, object: p, reason: "state data shorter than its counts")
            }
            do {
                let list = try (0..<Int(count)).map { k -> EndEffectorState in
                    let i = e + k
                    let pose = try Pose(position: Vector3(positions[3 * i], positions[3 * i + 1], positions[3 * i + 2]),
                                        rotation: Rotation(rowMajor: Array(rotations[9 * i..<9 * i + 9])))
                    return try EndEffectorState(pose: pose, gripper: grippers[i])
                }
                let q: [Double]? = jointCount < 0 ? nil : Array(joints[j..<j + Int(jointCount)])
                states.append(try RobotState(effectors: list, jointPositions: q))
            } catch {
                throw HDF5Error.layout(path: file.path, object: p, reason: "\(error)")
            }
            e += Int(count); j += max(0, Int(jointCount))
        }
        return (chunks, states)
    }

    /// A LIBERO/robomimic demo written elsewhere: one single-step chunk per action row, states from obs.
    static func readLIBERO(_ file: HDF5File, _ group: String) throws -> ([ActionChunk], [RobotState]) {
        let f64 = prophrl_h5t_double()
        let actions = try file.read("\(group)/actions", type: f64, zero: 0.0)
        guard actions.dims.count == 2, actions.dims[1] == EndEffectorAction.dimension else {
            throw HDF5Error.layout(path: file.path, object: "\(group)/actions", reason: "expected [T, 7], got \(actions.dims)")
        }
        let pos = try file.read("\(group)/obs/ee_pos", type: f64, zero: 0.0).values
        let ori = try file.read("\(group)/obs/ee_ori", type: f64, zero: 0.0).values
        let grip = try file.read("\(group)/obs/gripper_states", type: f64, zero: 0.0)
        let joints = try file.read("\(group)/obs/joint_states", type: f64, zero: 0.0)
        let t = actions.dims[0]
        guard pos.count >= 3 * t, ori.count >= 3 * t, grip.dims.first ?? 0 >= t, joints.dims.first ?? 0 >= t else {
            throw HDF5Error.layout(path: file.path, object: "\(group)/obs", reason: "fewer observations than actions")
        }
        do {
            let chunks = try (0..<t).map { i in
                try ActionChunk(actions: [[EndEffectorAction(values: Array(actions.values[7 * i..<7 * i + 7]))]], maxEffectors: 1)
            }
            let gw = grip.dims.count > 1 ? grip.dims[1] : 1, jw = joints.dims.count > 1 ? joints.dims[1] : 1
            let states = try (0..<t).map { i in
                let pose = try Pose(position: Vector3(pos[3 * i], pos[3 * i + 1], pos[3 * i + 2]),
                                    rotation: Rotation(rotationVector: Vector3(ori[3 * i], ori[3 * i + 1], ori[3 * i + 2])))
                // Finger positions: the opening is their spread, normalised by the simulator's stroke.
                let g = grip.values[(i * gw)..<(i * gw + gw)]
                let opening = gw >= 2 ? abs(g[g.startIndex] - g[g.startIndex + 1]) : abs(g[g.startIndex])
                return try RobotState(effectors: [EndEffectorState(pose: pose, gripper: opening / (2 * fingerStroke))],
                                      jointPositions: Array(joints.values[(i * jw)..<(i * jw + jw)]))
            }
            return (chunks, states)
        } catch let error as HDF5Error {
            throw error
        } catch {
            throw HDF5Error.layout(path: file.path, object: group, reason: "\(error)")
        }
    }
}
