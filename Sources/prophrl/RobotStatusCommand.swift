import ArgumentParser

/// Placeholder replaced below.
struct RobotStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status")
}
