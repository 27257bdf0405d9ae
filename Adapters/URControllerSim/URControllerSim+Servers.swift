import POSIXSupport
import ProphRLCore

extension URControllerSim {
    /// Dashboard server: greeting, then one reply line per command line.
    func serveDashboard(_ socket: POSIXSocket) {
        defer { socket.shutdownBoth() }
        do {
            try socket.write(Array((SimulatedController.dashboardGreeting + "\n").utf8))
            var pending: [UInt8] = []
            while isRunning {
                guard let bytes = try socket.read(timeout: 0.2) else { continue }
                if bytes.isEmpty { return }
                pending.append(contentsOf: bytes)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: pending[..<newline], as: UTF8.self)
                    pending.removeSubrange(...newline)
                    let reply = withController {
                        $0.dashboard(line, version: configuration.controllerVersion, serial: configuration.serialNumber)
                    }
                    try socket.write(Array((reply + "\n").utf8))
                    if reply == "Disconnected" { return }
                }
                if pending.count > 65536 { return }   // no newline in 64 kB: not a dashboard client
            }
        } catch {
            log("dashboard client dropped: \(error)")
        }
    }

    /// Script port: collects URScript text; each complete program (or bare motion line) starts at once.
    func serveScript(_ socket: POSIXSocket) {
        defer { socket.shutdownBoth() }
        var text = ""
        do {
            while isRunning {
                guard let bytes = try socket.read(timeout: 0.2) else { continue }
                if bytes.isEmpty { break }
                text += String(decoding: bytes, as: UTF8.self)
                while let program = Self.takeProgram(from: &text) {
                    withController { $0.startProgram(text: program) }
                }
                if text.utf8.count > 1 << 20 { text = "" }
            }
        } catch {
            log("script client dropped: \(error)")
        }
    }

    /// Removes and returns the first complete program: `def`/`sec` … `end` in column 0, or a bare motion line.
    static func takeProgram(from text: inout String) -> String? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count > 1 else { return nil }   // the last element is an unfinished line
        let complete = lines.count - 1
        var start: Int?
        for index in 0..<complete {
            let line = lines[index]
            if start == nil {
                if line.hasPrefix("def ") || line.hasPrefix("sec ") {
                    start = index
                } else if ["movej(", "movel(", "stopj(", "stopl("].contains(where: { line.hasPrefix($0) }) {
                    lines.removeSubrange(0...index)
                    text = lines.joined(separator: "\n")
                    return line
                }
            } else if let first = start, line.trimmed(" \t\r") == "end", !line.hasPrefix(" "), !line.hasPrefix("\t") {
                let program = lines[first...index].joined(separator: "\n")
                lines.removeSubrange(0...index)
                text = lines.joined(separator: "\n")
                return program
            }
        }
        return nil
    }
}
