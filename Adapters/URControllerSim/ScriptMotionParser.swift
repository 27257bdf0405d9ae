import ProphRLCore

/// Recognises the first one-shot motion call of a URScript program (`movej`, `movel`, `stopj`, `stopl`).
///
/// The simulator does not interpret URScript; it runs the single motion such a program asks for,
/// which is what drivers send as ad-hoc scripts. Defaults follow the script manual.
enum ScriptMotionParser {
    static func motion(in text: String) -> SimulatedArm.Motion? {
        for rawLine in text.split(separator: "\n") {
            let line = rawLine.trimmed(" \t\r")
            if line.hasPrefix("movej(") || line.hasPrefix("movel(") {
                let numbers = Self.numbers(in: line)
                guard numbers.count >= 6 else { continue }
                let target = Array(numbers[0..<6])
                let named = Self.namedArguments(in: line)
                if line.hasPrefix("movej(") {
                    return .moveJ(start: [], target: target, speed: named["v"] ?? 1.05, acceleration: named["a"] ?? 1.4,
                                  progress: 0, rate: 0)
                }
                return .moveL(start: [], target: target, speed: named["v"] ?? 0.25, acceleration: named["a"] ?? 1.2,
                              progress: 0, rate: 0)
            }
            if line.hasPrefix("stopj(") || line.hasPrefix("stopl(") {
                return .stopping(deceleration: Self.numbers(in: line).first ?? 2)
            }
        }
        return nil
    }

    /// Numbers inside the first bracketed list, or all plain numbers of the call.
    private static func numbers(in line: String) -> [Double] {
        var body = Substring(line)
        if let open = line.firstIndex(of: "["), let close = line[open...].firstIndex(of: "]") {
            body = line[line.index(after: open)..<close]
        } else if let open = line.firstIndex(of: "("), let close = line.lastIndex(of: ")") {
            body = line[line.index(after: open)..<close]
        }
        return body.split(separator: ",").compactMap { Double($0.trimmed(" \t")) }
    }

    /// `name=value` arguments after the list.
    private static func namedArguments(in line: String) -> [String: Double] {
        var result: [String: Double] = [:]
        let tail = line.split(separator: "]").last ?? Substring(line)
        for part in tail.split(separator: ",") {
            let pair = part.split(separator: "=")
            guard pair.count == 2 else { continue }
            let key = pair[0].trimmed(" \t")
            let value = pair[1].trimmed(" \t)")
            if let number = Double(value) { result[key] = number }
        }
        return result
    }
}

extension StringProtocol {
    /// The string without leading and trailing characters from `set`.
    func trimmed(_ set: String) -> String {
        let characters = Set(set)
        var slice = Substring(self)
        while let first = slice.first, characters.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, characters.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
