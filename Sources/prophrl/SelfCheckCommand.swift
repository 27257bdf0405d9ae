import ArgumentParser
import ProphRL

/// `prophrl selfcheck`: runs the core's math against the spec's published test vectors.
struct SelfCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "selfcheck",
        abstract: "Check the RL math of the core against the published test vectors (no GPU, no data)."
    )

    func run() throws {
        print("prophrl \(ProphRLInfo.version): self-check not wired yet")
    }
}
