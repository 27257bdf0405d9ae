import ProphRLCore
import Testing

/// Random and truncated byte streams fed to the client parser yield frames or typed errors only.
@Suite("RTDE fuzz")
struct RTDEFuzzTests {
    /// Runs the client-side parse of a stream: frames, packages, and data decoded with a recipe.
    static func parse(_ bytes: [UInt8], direction: RTDEDirection, recipe: RTDERecipe) -> (frames: Int, errors: Int) {
        var buffer = RTDEFrameBuffer()
        buffer.append(bytes)
        var frames = 0, errors = 0
        while true {
            do {
                guard let frame = try buffer.nextFrame() else { break }
                frames += 1
                if case .data(let payload) = try RTDEPackage.decode(frame: frame, direction: direction) {
                    _ = try recipe.decode(payload: payload)
                }
            } catch is RTDEError {
                errors += 1
                // A bad size field poisons the stream; the client closes the connection here.
                if buffer.pendingByteCount > 0, (try? buffer.nextFrame()) == nil { break }
            } catch {
                Issue.record("untyped error \(error)")
                break
            }
        }
        return (frames, errors)
    }

    @Test("Seeded random streams produce only RTDEError")
    func randomStreams() throws {
        let recipe = try RTDERecipe(id: 1, names: ["timestamp", "actual_q"], types: [.double, .vector6d])
        var rng = SeededGenerator(seed: 7)
        var totalErrors = 0
        for _ in 0..<2000 {
            let length = Int(rng.next() % 300)
            var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            // Bias some streams toward plausible headers so deeper parsing paths are reached.
            if length >= 3, rng.next() % 2 == 0 {
                let size = min(length, 3 + Int(rng.next() % 60))
                bytes[0] = UInt8(size >> 8); bytes[1] = UInt8(size & 0xFF)
                bytes[2] = RTDEPackageType.allCases[Int(rng.next() % 8)].rawValue
            }
            for direction in [RTDEDirection.toClient, .toController] {
                totalErrors += Self.parse(bytes, direction: direction, recipe: recipe).errors
            }
        }
        #expect(totalErrors > 100)   // the fuzzer really exercised the error paths
    }

    @Test("Every truncation of valid packages is a typed error or an incomplete frame")
    func truncations() throws {
        let recipe = try RTDERecipe(id: 1, names: ["timestamp", "actual_q"], types: [.double, .vector6d])
        let packages: [RTDEPackage] = [
            .controllerVersion(RTDEControllerVersion(major: 5, minor: 23, bugfix: 0, build: 0)),
            .textMessage(RTDETextMessage(message: "m", source: "s", level: 1)),
            .data(payload: try recipe.encode([.double(1), .vector6d([1, 2, 3, 4, 5, 6])])),
            .setupOutputsReply(recipeID: 1, types: ["DOUBLE"]), .startReply(accepted: true),
        ]
        for package in packages {
            let frame = try package.encoded()
            for cut in 0..<frame.count {
                // A stream cut short waits for more bytes: no frame, no error.
                var buffer = RTDEFrameBuffer()
                buffer.append(frame[..<cut])
                #expect(try buffer.nextFrame() == nil)
                // A frame whose size field is patched to the cut length must fail typed.
                guard cut >= 3 else { continue }
                var short = Array(frame[..<cut])
                short[0] = UInt8(cut >> 8); short[1] = UInt8(cut & 0xFF)
                do {
                    let decoded = try RTDEPackage.decode(frame: short, direction: .toClient)
                    if case .data(let payload) = decoded { _ = try recipe.decode(payload: payload) }
                    // Only text-free list replies may legally shrink (fewer type words).
                    if case .setupOutputsReply = decoded { continue }
                    Issue.record("truncated \(package.type) at \(cut) decoded as \(decoded)")
                } catch is RTDEError {
                } catch {
                    Issue.record("untyped error \(error)")
                }
            }
        }
    }

    @Test("Size fields below the header and unknown types are typed errors")
    func headerDefects() {
        var buffer = RTDEFrameBuffer()
        buffer.append([0x00, 0x02, 0x56])
        #expect(throws: RTDEError.invalidPackageSize(declared: 2, actual: 3)) { try buffer.nextFrame() }
        #expect(throws: RTDEError.unknownPackageType(0x41)) { try RTDEPackage.decode(frame: [0, 3, 0x41], direction: .toClient) }
        #expect(throws: RTDEError.self) { try RTDEPackage.decode(frame: [0, 5, 0x53, 1], direction: .toClient) }
        #expect(throws: RTDEError.self) { try RTDEPackage.decode(frame: [0, 5, 0x53, 1, 0], direction: .toClient) }
        #expect(throws: RTDEError.self) { try RTDEPackage.decode(frame: [0, 4, 0x53, 7], direction: .toClient) }
    }
}
