import ProphRLCore

extension SimulatedController {
    /// The dashboard greeting line.
    static let dashboardGreeting = "Connected: Universal Robots Dashboard Server"

    /// Answers one dashboard command line the way PolyScope 5 does (robot.md §5).
    mutating func dashboard(_ rawCommand: String, version: RTDEControllerVersion, serial: String) -> String {
        let command = rawCommand.trimmed(" \t\r\n")
        let lower = command.lowercased()
        switch lower {
        case "power on":
            if robotMode == .powerOff || robotMode == .powerOn { robotMode = .idle }
            return "Powering on"
        case "power off":
            stopProgram(reason: "power off", decelerate: false)
            arm.halt()
            robotMode = .powerOff
            return "Powering off"
        case "brake release":
            if robotMode == .idle || robotMode == .powerOn { robotMode = .running }
            return "Brake releasing"
        case "play":
            guard let name = loadedProgram, robotMode == .running, safetyMode == .normal else { return "Failed to execute: play" }
            program = .polyscope(name: name)
            runtimeState = .playing
            return "Starting program"
        case "stop":
            guard runtimeState != .stopped else { return "Failed to execute: stop" }
            stopProgram(reason: "dashboard stop", decelerate: true)
            return "Stopped"
        case "pause":
            guard runtimeState == .playing else { return "Failed to execute: pause" }
            runtimeState = .paused
            arm.command(.stopping(deceleration: 4))
            return "Pausing program"
        case "robotmode": return "Robotmode: \(robotMode)"
        case "programstate":
            return "\(runtimeState == .paused ? "PAUSED" : runtimeState == .playing ? "PLAYING" : "STOPPED") \(programLabel)"
        case "running": return "Program running: \(runtimeState == .playing)"
        case "safetystatus": return "Safetystatus: \(safetyMode)"
        case "safetymode": return "Safetymode: \(safetyMode)"
        case "unlock protective stop":
            guard safetyMode == .protectiveStop else { return "Cannot unlock protective stop: robot is not in protective stop" }
            safetyMode = .normal
            events.append("protective stop released")
            return "Protective stop releasing"
        case "close safety popup": return "closing safety popup"
        case "polyscopeversion": return "URSoftware \(version) (Jan 01 2025)"
        case "is in remote control": return "true"
        case "get serial number": return serial
        case "get robot model": return "UR30"
        case "quit": return "Disconnected"
        case "shutdown": return "Shutting down"
        case "get loaded program": return loadedProgram.map { "Loaded program: \($0)" } ?? "No program loaded"
        default:
            if lower.hasPrefix("load ") {
                let name = String(command.dropFirst(5)).trimmed(" ")
                guard name.hasSuffix(".urp") else { return "File not found: \(name)" }
                loadedProgram = name
                return "Loading program: \(name)"
            }
            return "could not understand: '\(command)'"
        }
    }

    private var programLabel: String {
        switch program {
        case .none: return loadedProgram ?? "<unnamed>"
        case .registerScript(let name), .oneShot(let name), .polyscope(let name): return name
        }
    }
}
