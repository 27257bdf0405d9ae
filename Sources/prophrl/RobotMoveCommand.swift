import ArgumentParser

/// Placeholder replaced below.
struct RobotMoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "move")
}
