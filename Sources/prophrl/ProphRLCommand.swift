import ArgumentParser
import ProphRL

/// The `prophrl` command: the only composition root, where adapters are chosen and wired into the services.
@main
struct ProphRLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prophrl",
        abstract: "Reinforce robot action policies inside a learned video world model (FA-GRPO + FlowScale).",
        version: ProphRLInfo.version,
        subcommands: [SelfCheckCommand.self, ScheduleCommand.self, RunsCommand.self, RobotGroupCommand.self,
                      SimCommand.self, WorldCommand.self]
    )
}
