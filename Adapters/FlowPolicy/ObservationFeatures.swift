import Foundation
import ProphRLCore

/// Turns an ``Observation`` into the network's raw inputs: image patches, word ids and state features.
struct ObservationFeatures {
    /// Scalars per state vector: TCP position (3), rotation matrix (9), gripper openness (1).
    static let stateWidth = 13

    /// `patchCount × (patchSize²·3)` pixel values in [−0.5, 0.5] after average-pooling the observed frame to `imageSize`².
    /// - Throws: ``ValidationError`` naming `observation.firstImage` when the policy reads the first frame and the
    ///   environment gave none; a frame of the wrong size.
    static func patches(_ observation: Observation, _ c: FlowPolicyConfiguration) throws -> [Float] {
        switch c.observedFrame {
        case .latest:
            return try ImagePatches.pooled(observation.image, grid: c.imageSize, patch: c.patchSize, argument: "observation.image")
        case .first:
            guard let first = observation.firstImage else {
                throw ValidationError.invalid(argument: "observation.firstImage",
                                              reason: "this policy reads the episode's first frame (observedFrame \"first\"); the environment gave none")
            }
            return try ImagePatches.pooled(first, grid: c.imageSize, patch: c.patchSize, argument: "observation.firstImage")
        }
    }

    /// Position (centred on the workspace, in decimetres), rotation entries and gripper openness of effector 0.
    static func state(_ state: RobotState) -> [Float] {
        let e = state.effectors[0]
        let p = e.pose.position, r = e.pose.rotation
        return [Float((p.x + 0.65) * 10), Float((p.y + 0.1) * 10), Float((p.z - 0.2) * 10),
                Float(r.r00), Float(r.r01), Float(r.r02), Float(r.r10), Float(r.r11), Float(r.r12),
                Float(r.r20), Float(r.r21), Float(r.r22), Float(e.gripper * 2 - 1)]
    }

    /// Sinusoidal features of the flow time τ: τ itself and sin/cos at four frequencies.
    static let timeWidth = 9

    /// The time features of `tau`.
    static func time(_ tau: Double) -> [Float] {
        var out = [Float(tau)]
        for f in [1.0, 2.0, 4.0, 8.0] {
            out.append(Float(Foundation.sin(Double.pi * f * tau)))
            out.append(Float(Foundation.cos(Double.pi * f * tau)))
        }
        return out
    }
}

