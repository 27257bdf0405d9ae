import POSIXSupport
import ProphRLCore

/// Sends URScript programs to a controller's script port (30001–30003).
///
/// A new program aborts the running one; never send ad-hoc script while the control script
/// runs unless that is the intent (robot.md §2.1, §7).
public enum ScriptSender {
    /// Sends `program` (a `def … end` block or single motion lines) and closes after a short read.
    public static func send(_ program: String, host: String, port: UInt16 = 30003, timeout: Double = 2) throws {
        let socket = try POSIXSocket.connect(host: host, port: port, timeout: timeout)
        defer { socket.shutdownBoth() }
        var text = program
        if !text.hasSuffix("\n") { text += "\n" }
        try socket.write(Array(text.utf8), timeout: timeout)
        // Reading before closing keeps the controller from dropping the program (it may stream state here).
        _ = try? socket.read(timeout: 0.05)
    }

    /// A one-shot joint move program (`movej`), for use without the control script.
    public static func moveJProgram(_ joints: [Double], speed: Double, acceleration: Double) -> String {
        "def prophrl_movej():\n  movej([\(joints.map { "\($0)" }.joined(separator: ", "))], a=\(acceleration), v=\(speed))\nend\n"
    }
}
