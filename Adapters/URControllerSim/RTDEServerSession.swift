import POSIXSupport
import ProphRLCore
import Synchronization

/// One RTDE client connection on the simulator: recipes, streaming flag and input ownership.
final class RTDEServerSession: Sendable {
    struct State: Sendable {
        var outputRecipe: RTDERecipe?
        var outputDivisor = 1
        var inputRecipes: [UInt8: RTDERecipe] = [:]
        var nextOutputID: UInt8 = 1
        var nextInputID: UInt8 = 1
        var streaming = false
    }

    let socket: POSIXSocket
    let state = Mutex(State())
    /// Serialises whole frames on the socket (replies from the reader, data from the control loop).
    let writeLock = Mutex(())

    init(socket: POSIXSocket) { self.socket = socket }

    var id: ObjectIdentifier { ObjectIdentifier(self) }

    /// Writes one frame atomically with respect to other writers.
    func write(_ frame: [UInt8]) throws {
        try writeLock.withLock { _ in try socket.write(frame, timeout: 0.2) }
    }

    /// Writes a data frame only while streaming, checked under the write lock so nothing follows a pause reply.
    func writeIfStreaming(_ frame: [UInt8]) throws -> Bool {
        try writeLock.withLock { _ in
            guard state.withLock({ $0.streaming }) else { return false }
            try socket.write(frame, timeout: 0.2)
            return true
        }
    }

    /// Reads and answers requests until the peer closes or the simulator stops.
    func serve(simulator: URControllerSim) {
        var buffer = RTDEFrameBuffer()
        defer { simulator.sessionEnded(self) }
        do {
            while simulator.isRunning {
                guard let bytes = try socket.read(timeout: 0.2) else { continue }
                if bytes.isEmpty { return }
                buffer.append(bytes)
                while let frame = try buffer.nextFrame() {
                    try handle(try RTDEPackage.decode(frame: frame, direction: .toController), simulator: simulator)
                }
            }
        } catch {
            simulator.log("RTDE client dropped: \(error)")
        }
    }

    private func handle(_ package: RTDEPackage, simulator: URControllerSim) throws {
        let configuration = simulator.configuration
        switch package {
        case .requestProtocolVersion(let version):
            try write(RTDEPackage.protocolVersionReply(accepted: version == 2 && !configuration.refuseProtocolVersion).encoded())
        case .getControllerVersion:
            try write(RTDEPackage.controllerVersion(configuration.controllerVersion).encoded())
        case .setupOutputs(let frequency, let names):
            let words = names.map { RTDEVariables.outputType(of: $0)?.name ?? RTDERecipeRefusal.notFound }
            let reply: RTDEPackage = try state.withLock { state in
                guard !state.streaming, !words.contains(RTDERecipeRefusal.notFound) else {
                    return .setupOutputsReply(recipeID: 0, types: words)
                }
                let id = state.nextOutputID
                state.nextOutputID &+= 1
                state.outputRecipe = try RTDERecipe(id: id, names: names, replyTypes: words)
                let rate = min(frequency, configuration.controlFrequency)
                state.outputDivisor = max(1, Int((configuration.controlFrequency / rate).rounded()))
                return .setupOutputsReply(recipeID: id, types: words)
            }
            try write(reply.encoded())
        case .setupInputs(let names):
            let words = simulator.claimInputs(names, for: id)
            let reply: RTDEPackage = try state.withLock { state in
                guard !words.contains(RTDERecipeRefusal.notFound), !words.contains(RTDERecipeRefusal.inUse) else {
                    return .setupInputsReply(recipeID: 0, types: words)
                }
                let id = state.nextInputID
                state.nextInputID &+= 1
                state.inputRecipes[id] = try RTDERecipe(id: id, names: names, replyTypes: words)
                return .setupInputsReply(recipeID: id, types: words)
            }
            try write(reply.encoded())
        case .data(let payload):
            let recipe = state.withLock { $0.inputRecipes[payload.first ?? 0] }
            guard let recipe else { simulator.log("data for unknown input recipe \(payload.first ?? 0)"); return }
            let values = try recipe.decode(payload: payload)
            simulator.withController { $0.writeInputs(names: recipe.names, values: values) }
        case .textMessage(let message):
            simulator.log("client text [\(message.level)] \(message.source): \(message.message)")
        case .start:
            // The reply and the streaming flag change under the write lock: no data precedes the reply.
            try writeLock.withLock { _ in
                try socket.write(try RTDEPackage.startReply(accepted: true).encoded(), timeout: 0.2)
                state.withLock { $0.streaming = true }
            }
        case .pause:
            try writeLock.withLock { _ in
                state.withLock { $0.streaming = false }
                try socket.write(try RTDEPackage.pauseReply(accepted: true).encoded(), timeout: 0.2)
            }
        case .protocolVersionReply, .controllerVersion, .setupOutputsReply, .setupInputsReply, .startReply, .pauseReply:
            throw RTDEError.unexpectedPackage(expected: "a request", actual: package.type.rawValue)
        }
    }
}
