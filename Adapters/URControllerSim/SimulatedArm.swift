import ProphRLCore

/// A kinematic UR30: joint positions integrated at the control rate under joint speed limits.
///
/// It executes one motion at a time (servo, speed, point-to-point move, stop) the way the
/// controller's motion layer would, without dynamics: enough for drivers and clients to see
/// targets reached, velocities reported and stops decelerate.
struct SimulatedArm: Sendable {
    /// One active motion.
    enum Motion: Sendable, Equatable {
        case idle
        case servoJ(target: [Double])
        case servoL(pose: [Double])
        case speedJ(velocity: [Double], acceleration: Double)
        case speedL(twist: [Double], acceleration: Double)
        case moveJ(start: [Double], target: [Double], speed: Double, acceleration: Double, progress: Double, rate: Double)
        case moveL(start: [Double], target: [Double], speed: Double, acceleration: Double, progress: Double, rate: Double)
        case stopping(deceleration: Double)
    }

    let kinematics: UR30Kinematics
    let limits: JointLimits
    private(set) var q: [Double]
    private(set) var qd: [Double] = Array(repeating: 0, count: 6)
    private(set) var qdd: [Double] = Array(repeating: 0, count: 6)
    private(set) var targetQ: [Double]
    private(set) var tcpSpeed: [Double] = Array(repeating: 0, count: 6)
    private(set) var motion: Motion = .idle
    /// Commanded tool twist of a speedL motion, ramped by its acceleration.
    private var currentTwist: [Double] = Array(repeating: 0, count: 6)

    init(q: [Double], kinematics: UR30Kinematics = UR30Kinematics(), limits: JointLimits = .ur30) {
        self.q = q
        self.targetQ = q
        self.kinematics = kinematics
        self.limits = limits
    }

    /// TCP pose at the current joints (nominal FK).
    var tcpPose: [Double] { (try? kinematics.forward(q)) ?? Array(repeating: 0, count: 6) }

    /// True when no motion is running and the arm stands still.
    var isSettled: Bool {
        if case .idle = motion { return qd.allSatisfy { abs($0) < 1e-9 } }
        return false
    }

    /// True once a blocking move or a stop has finished.
    var blockingMotionFinished: Bool {
        switch motion {
        case .idle: return true
        case .moveJ, .moveL, .stopping: return false
        default: return true
        }
    }

    mutating func command(_ motion: Motion) {
        switch motion {
        case .moveJ(_, let target, let speed, let acceleration, _, _):
            self.motion = .moveJ(start: q, target: target, speed: speed, acceleration: acceleration, progress: 0, rate: 0)
        case .moveL(_, let target, let speed, let acceleration, _, _):
            self.motion = .moveL(start: tcpPose, target: target, speed: speed, acceleration: acceleration, progress: 0, rate: 0)
        case .speedL:
            if case .speedL = self.motion {} else { currentTwist = Array(repeating: 0, count: 6) }
            self.motion = motion
        default:
            self.motion = motion
        }
    }

    /// Halts immediately (protective or emergency stop: brakes, no ramp).
    mutating func halt() {
        motion = .idle
        qd = Array(repeating: 0, count: 6)
        qdd = qd
        tcpSpeed = qd
        targetQ = q
        currentTwist = qd
    }

    /// Advances the model by `dt` seconds.
    mutating func step(dt: Double) {
        let previousQ = q, previousQd = qd
        var desired = q
        switch motion {
        case .idle:
            desired = q
        case .servoJ(let target):
            desired = target
        case .servoL(let pose):
            desired = (try? kinematics.inverse(pose: pose, seed: q, tolerance: 1e-9, maxIterations: 20)) ?? q
        case .speedJ(let velocity, let acceleration):
            desired = (0..<6).map { q[$0] + Self.ramp(qd[$0], velocity[$0], acceleration * dt) * dt }
        case .speedL(let twist, let acceleration):
            for i in 0..<6 { currentTwist[i] = Self.ramp(currentTwist[i], twist[i], acceleration * dt) }
            let rates = (try? kinematics.jointVelocities(for: currentTwist, at: q)) ?? Array(repeating: 0, count: 6)
            desired = (0..<6).map { q[$0] + rates[$0] * dt }
        case .moveJ(let start, let target, let speed, let acceleration, var progress, var rate):
            // One trapezoidal profile on the largest joint distance keeps all joints synchronised.
            let distance = (0..<6).map { abs(target[$0] - start[$0]) }.max() ?? 0
            if distance < 1e-12 { motion = .idle; desired = target; break }
            Self.advanceTrapezoid(progress: &progress, rate: &rate, length: distance, speed: speed,
                                  acceleration: acceleration, dt: dt)
            let s = progress / distance
            desired = (0..<6).map { start[$0] + (target[$0] - start[$0]) * s }
            motion = progress >= distance ? .idle : .moveJ(start: start, target: target, speed: speed,
                                                          acceleration: acceleration, progress: progress, rate: rate)
        case .moveL(let start, let target, let speed, let acceleration, var progress, var rate):
            let error = (try? UR30Kinematics.poseError(from: start, to: target)) ?? Array(repeating: 0, count: 6)
            let length = max((error[0..<3].reduce(0) { $0 + $1 * $1 }).squareRoot(), 1e-12)
            Self.advanceTrapezoid(progress: &progress, rate: &rate, length: length, speed: speed,
                                  acceleration: acceleration, dt: dt)
            let s = min(progress / length, 1)
            let pose = Self.interpolate(start, target, error: error, fraction: s)
            desired = (try? kinematics.inverse(pose: pose, seed: q, tolerance: 1e-10, maxIterations: 30)) ?? q
            motion = progress >= length ? .idle : .moveL(start: start, target: target, speed: speed,
                                                        acceleration: acceleration, progress: progress, rate: rate)
        case .stopping(let deceleration):
            desired = (0..<6).map { q[$0] + Self.ramp(qd[$0], 0, deceleration * dt) * dt }
        }
        // Joint speed limits of the hardware, then position limits.
        for i in 0..<6 {
            let maxStep = limits.maxSpeed[i] * dt
            let stepped = q[i] + min(max(desired[i] - q[i], -maxStep), maxStep)
            q[i] = min(max(stepped, limits.lower[i]), limits.upper[i])
        }
        targetQ = desired
        qd = (0..<6).map { (q[$0] - previousQ[$0]) / dt }
        qdd = (0..<6).map { (qd[$0] - previousQd[$0]) / dt }
        if case .stopping = motion, qd.allSatisfy({ abs($0) < 1e-9 }) { motion = .idle }
        if let jacobian = try? kinematics.jacobian(q) {
            tcpSpeed = (0..<6).map { row in (0..<6).reduce(0) { $0 + jacobian[6 * row + $1] * qd[$1] } }
        }
    }

    /// Moves `value` toward `goal` by at most `maxChange`.
    static func ramp(_ value: Double, _ goal: Double, _ maxChange: Double) -> Double {
        value + min(max(goal - value, -maxChange), maxChange)
    }

    /// One step of a trapezoidal velocity profile along a path of `length`.
    static func advanceTrapezoid(progress: inout Double, rate: inout Double, length: Double, speed: Double,
                                 acceleration: Double, dt: Double) {
        let remaining = max(length - progress, 0)
        let brakingSpeed = (2 * acceleration * remaining).squareRoot()
        let wanted = min(speed, brakingSpeed)
        rate = ramp(rate, wanted, acceleration * dt)
        // Guarantee progress near the end, where the braking speed tends to zero.
        rate = max(rate, min(remaining / dt, acceleration * dt))
        progress = min(progress + rate * dt, length)
        if length - progress < 1e-9 { progress = length }
    }

    /// Pose a fraction of the way from `start` to `target` (translation linear, rotation along its axis).
    static func interpolate(_ start: [Double], _ target: [Double], error: [Double], fraction: Double) -> [Double] {
        guard fraction < 1, let startTransform = try? HomogeneousTransform(pose: start) else { return target }
        let partialRotation = HomogeneousTransform.matrix(rotationVector: error[3..<6].map { $0 * fraction })
        let rotation = HomogeneousTransform.multiply(partialRotation, startTransform.rotation)
        let translation = (0..<3).map { start[$0] + error[$0] * fraction }
        return HomogeneousTransform(rotation: rotation, translation: translation).pose
    }
}
