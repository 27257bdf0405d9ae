#if canImport(Glibc)
import Glibc
#endif
import ProphRLCore
import RobotRTDE
import URControllerSim

/// Helpers shared by the driver ↔ simulator tests: a simulator on free ports, clocks and waits.
enum SimHarness {
    static let home = [0.0, -1.5708, 1.5708, -1.5708, -1.5708, 0]

    /// A started simulator on OS-chosen ports.
    static func startSim(_ configure: (inout URControllerSimConfiguration) -> Void = { _ in }) throws -> URControllerSim {
        var configuration = URControllerSimConfiguration.ephemeral
        configure(&configuration)
        let sim = try URControllerSim(configuration: configuration)
        try sim.start()
        return sim
    }

    /// A link configuration pointing at `sim`.
    static func configuration(for sim: URControllerSim) -> TCPRobotLinkConfiguration {
        var configuration = TCPRobotLinkConfiguration(host: "127.0.0.1")
        configuration.rtdePort = sim.rtdePort
        configuration.dashboardPort = sim.dashboardPort
        configuration.scriptPort = sim.scriptPorts[2]
        return configuration
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    static func sleep(until deadline: Double) {
        while now() < deadline {
            var ts = timespec(tv_sec: 0, tv_nsec: Int(min(max(deadline - now(), 0), 0.01) * 1e9))
            nanosleep(&ts, nil)
        }
    }

    /// Polls `condition` for up to `timeout` seconds.
    static func eventually(timeout: Double = 2, _ condition: () -> Bool) -> Bool {
        let deadline = now() + timeout
        while now() < deadline {
            if condition() { return true }
            sleep(until: now() + 0.005)
        }
        return condition()
    }

    static func maxAbs(_ values: [Double]) -> Double { values.map(abs).max() ?? 0 }

    static func maxDifference(_ a: [Double], _ b: [Double]) -> Double { maxAbs(zip(a, b).map { $0 - $1 }) }

    /// Streams a smooth servoJ trajectory on the base joint for `seconds` at 500 Hz; returns the final target.
    static func servoStream(_ link: TCPRobotLink, from start: [Double], seconds: Double, amplitude: Double = 0.1) throws -> [Double] {
        let period = 0.002
        let ticks = Int(seconds / period)
        var q = start
        var deadline = now()
        for tick in 1...ticks {
            // Smooth start and end: q0(t) = start + A (1 - cos(π t / T)) / 2.
            let t = Double(tick) / Double(ticks)
            q[0] = start[0] + amplitude * (1 - cos(Double.pi * t)) / 2
            try link.send(.servoJ(joints: q, time: period))
            deadline += period
            sleep(until: deadline)
        }
        return q
    }
}
