import ArgumentParser
import ProphRL
import TensorEngine

/// The `prophrl` command: the only composition root, where adapters are chosen and wired into the services.
@main
struct ProphRLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prophrl",
        abstract: "Reinforce robot action policies inside a learned video world model (FA-GRPO + FlowScale).",
        version: ProphRLInfo.version,
        subcommands: [SelfCheckCommand.self, ScheduleCommand.self, RunsCommand.self, RobotGroupCommand.self,
                      SimCommand.self, EvalFlowCommand.self, FlowCommand.self, ActionFramesCommand.self,
                      PolicyCommand.self, RLCommand.self, JudgeCommand.self, WorldCommand.self, CameraCommand.self,
                      DeployCommand.self, DemoCommand.self]
    )

    /// Chooses the OpenBLAS kernel before anything loads it, then runs the command line.
    static func main() {
        // OpenBLAS reads OPENBLAS_CORETYPE once at load: re-exec with the fastest correct kernel
        // (PROPHRL_BLAS_CORETYPE overrides; docs/tensor-engine.md), and keep freed memory for reuse.
        BLASRuntime.relaunchWithPreferredKernel()
        _ = AllocatorTuning.apply()
        Self.main(nil)
    }
}
