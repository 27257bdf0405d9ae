import ArgumentParser
import RobotRTDE

/// Options shared by the `robot` subcommands that connect to a controller.
struct RobotConnectionOptions: ParsableArguments {
    @Option(help: "Controller address (a real UR30e or `prophrl robot sim`).")
    var host: String
    @Option(help: "RTDE port.")
    var rtdePort: UInt16 = 30004
    @Option(help: "Dashboard port.")
    var dashboardPort: UInt16 = 29999
    @Option(help: "Script port the control program is uploaded to.")
    var scriptPort: UInt16 = 30003
    @Option(help: "Seconds each socket operation may wait.")
    var timeout: Double = 2

    /// The link configuration these options describe.
    func linkConfiguration() -> TCPRobotLinkConfiguration {
        var configuration = TCPRobotLinkConfiguration(host: host)
        configuration.rtdePort = rtdePort
        configuration.dashboardPort = dashboardPort
        configuration.scriptPort = scriptPort
        configuration.ioTimeout = timeout
        return configuration
    }
}
