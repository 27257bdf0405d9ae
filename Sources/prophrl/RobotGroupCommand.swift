import ArgumentParser

/// `prophrl robot`: the UR30e driver and the controller simulator.
struct RobotGroupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "robot",
        abstract: "Drive a UR30e over RTDE, or run a simulated UR30e controller.",
        subcommands: [RobotSimCommand.self, RobotStatusCommand.self, RobotMoveCommand.self]
    )
}
