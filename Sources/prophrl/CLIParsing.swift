import ArgumentParser
import Foundation

/// Parsing of comma-separated numeric options, with errors that name the option and the bad value.
enum CLIParsing {
    /// Six finite doubles from "a,b,c,d,e,f".
    static func vector(_ text: String, option: String, count: Int = 6) throws -> [Double] {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let values = parts.compactMap(Double.init)
        guard values.count == parts.count, values.count == count, values.allSatisfy(\.isFinite) else {
            throw ValidationError("\(option): expected \(count) comma-separated numbers, got '\(text)'")
        }
        return values
    }

    /// Port numbers from "p1,p2,…".
    static func ports(_ text: String, option: String, count: Int) throws -> [UInt16] {
        let values = text.split(separator: ",").compactMap { UInt16($0.trimmingCharacters(in: .whitespaces)) }
        guard values.count == count else {
            throw ValidationError("\(option): expected \(count) comma-separated ports, got '\(text)'")
        }
        return values
    }

    /// Prints one line to standard output unbuffered (the simulator's output is read by test harnesses).
    static func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

