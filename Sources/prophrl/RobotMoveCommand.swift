import ArgumentParser
import ProphRLCore
import RobotRTDE

/// `prophrl robot move`: one blocking moveJ or moveL through the safety envelope.
struct RobotMoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "move",
        abstract: "Move to joint angles (moveJ) or a TCP pose (moveL) through the safety envelope, then stop."
    )

    @OptionGroup var connection: RobotConnectionOptions
    @Option(help: "Target joint angles (rad), six comma-separated values.")
    var joints: String?
    @Option(help: "Target TCP pose x,y,z (m), rx,ry,rz (rotation vector, rad) in the base frame.")
    var pose: String?
    @Option(help: "Speed: rad/s for --joints, m/s for --pose.")
    var speed: Double = 0.25
    @Option(help: "Acceleration: rad/s² for --joints, m/s² for --pose.")
    var acceleration: Double = 0.5

    func validate() throws {
        guard (joints == nil) != (pose == nil) else { throw ValidationError("give exactly one of --joints or --pose") }
    }

    func run() throws {
        let command: RobotCommand
        if let joints {
            command = .moveJ(joints: try CLIParsing.vector(joints, option: "--joints"), speed: speed, acceleration: acceleration)
        } else {
            command = .moveL(pose: try CLIParsing.vector(pose ?? "", option: "--pose"), speed: speed, acceleration: acceleration)
        }
        let link = TCPRobotLink(configuration: connection.linkConfiguration())
        try link.connect()
        defer { link.disconnect() }
        do {
            try link.send(command)
        } catch let violation as SafetyViolation {
            throw CLIError("refused by the safety envelope: \(violation)")
        }
        let state = try link.latestState()
        CLIParsing.emit("reached: q = [\(state.actualQ.map { String(format: "%.5f", $0) }.joined(separator: ", "))]")
        CLIParsing.emit("TCP pose = [\(state.actualTCPPose.map { String(format: "%.5f", $0) }.joined(separator: ", "))]")
    }
}
