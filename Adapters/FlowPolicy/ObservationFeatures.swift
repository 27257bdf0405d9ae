import Foundation
import ProphRLCore

/// Turns an ``Observation`` into the network's raw inputs: image patches, word ids and state features.
struct ObservationFeatures {
    /// Scalars per state vector: TCP position (3), rotation matrix (9), gripper openness (1).
    static let stateWidth = 13

    /// `patchCount × (patchSize²·3)` pixel values in [−0.5, 0.5] after average-pooling the frame to `imageSize`².
    static func patches(_ image: RGBImage, _ c: FlowPolicyConfiguration) throws -> [Float] {
        guard image.width >= c.imageSize, image.height >= c.imageSize else {
            throw ValidationError.shapeMismatch(argument: "observation.image", expected: "at least \(c.imageSize)² pixels",
                                                actual: "\(image.width)×\(image.height)")
        }
        // Average pooling with integer box bounds, so any frame size maps onto the grid.
        let n = c.imageSize
        var pooled = [Float](repeating: 0, count: n * n * 3)
        for gy in 0..<n {
            let y0 = gy * image.height / n, y1 = (gy + 1) * image.height / n
            for gx in 0..<n {
                let x0 = gx * image.width / n, x1 = (gx + 1) * image.width / n
                var sum: (Int, Int, Int) = (0, 0, 0)
                for y in y0..<y1 {
                    var offset = (y * image.width + x0) * 3
                    for _ in x0..<x1 {
                        sum.0 += Int(image.pixels[offset]); sum.1 += Int(image.pixels[offset + 1])
                        sum.2 += Int(image.pixels[offset + 2])
                        offset += 3
                    }
                }
                let count = Float((y1 - y0) * (x1 - x0) * 255)
                let base = (gy * n + gx) * 3
                pooled[base] = Float(sum.0) / count - 0.5
                pooled[base + 1] = Float(sum.1) / count - 0.5
                pooled[base + 2] = Float(sum.2) / count - 0.5
            }
        }
        // Patch-major layout: patch (py, px) holds its p×p pixels row by row.
        let p = c.patchSize, perSide = n / p
        var out = [Float](); out.reserveCapacity(n * n * 3)
        for py in 0..<perSide {
            for px in 0..<perSide {
                for y in 0..<p {
                    let row = ((py * p + y) * n + px * p) * 3
                    out.append(contentsOf: pooled[row..<(row + p * 3)])
                }
            }
        }
        return out
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

