import ProphRLCore
import Testing

/// Encode/decode round trips for every RTDE package type and the byte layouts of robot.md §1 and §4.
@Suite("RTDE codec")
struct RTDECodecTests {
    static let toController: [RTDEPackage] = [
        .requestProtocolVersion(2), .getControllerVersion,
        .textMessage(RTDETextMessage(message: "hello", source: "prophrl", level: 3)),
        .data(payload: [4, 0, 0, 0, 0]),
        .setupOutputs(frequency: 500, names: ["timestamp", "actual_q"]),
        .setupInputs(names: ["input_int_register_0", "input_double_register_0"]),
        .start, .pause,
    ]
    static let toClient: [RTDEPackage] = [
        .protocolVersionReply(accepted: true), .protocolVersionReply(accepted: false),
        .controllerVersion(RTDEControllerVersion(major: 5, minor: 23, bugfix: 0, build: 0)),
        .textMessage(RTDETextMessage(message: "boom", source: "Controller", level: 0)),
        .data(payload: [1, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0]),
        .setupOutputsReply(recipeID: 1, types: ["DOUBLE", "VECTOR6D"]),
        .setupInputsReply(recipeID: 2, types: ["INT32", "DOUBLE"]),
        .startReply(accepted: true), .pauseReply(accepted: true), .startReply(accepted: false),
    ]

    @Test("Every package type round-trips towards the controller", arguments: toController)
    func roundTripToController(package: RTDEPackage) throws {
        let frame = try package.encoded()
        #expect(Int(frame[0]) << 8 | Int(frame[1]) == frame.count)
        #expect(frame[2] == package.type.rawValue)
        #expect(try RTDEPackage.decode(frame: frame, direction: .toController) == package)
    }

    @Test("Every package type round-trips towards the client", arguments: toClient)
    func roundTripToClient(package: RTDEPackage) throws {
        let frame = try package.encoded()
        #expect(try RTDEPackage.decode(frame: frame, direction: .toClient) == package)
    }

    @Test("All eight package types are covered in both directions")
    func coverage() {
        let covered = Set((Self.toController + Self.toClient).map(\.type))
        #expect(covered == Set(RTDEPackageType.allCases))
    }

    @Test("Byte layouts match the spec's traces")
    func layouts() throws {
        #expect(try RTDEPackage.requestProtocolVersion(2).encoded() == [0x00, 0x05, 0x56, 0x00, 0x02])
        #expect(try RTDEPackage.protocolVersionReply(accepted: true).encoded() == [0x00, 0x04, 0x56, 0x01])
        #expect(try RTDEPackage.controllerVersion(RTDEControllerVersion(major: 5, minor: 23, bugfix: 0, build: 0)).encoded()
                == [0x00, 0x13, 0x76, 0, 0, 0, 5, 0, 0, 0, 0x17, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(try RTDEPackage.start.encoded() == [0x00, 0x03, 0x53])
        #expect(try RTDEPackage.startReply(accepted: true).encoded() == [0x00, 0x04, 0x53, 0x01])
        let outputs = try RTDEPackage.setupOutputs(frequency: 500, names: ["timestamp"]).encoded()
        #expect(Array(outputs[3..<11]) == [0x40, 0x7F, 0x40, 0, 0, 0, 0, 0])
        // ur_rtde's stopScript: recipe 4, int0 = 255.
        let recipe = try RTDERecipe(id: 4, names: ["input_int_register_0"], types: [.int32])
        #expect(try RTDEPackage.data(payload: try recipe.encode([.int32(255)])).encoded()
                == [0x00, 0x08, 0x55, 0x04, 0, 0, 0, 0xFF])
        // Official client's setp example: 1.25, -2.5, 7.
        let setp = try RTDERecipe(id: 1, names: ["input_double_register_0", "input_double_register_1", "input_int_register_0"],
                                  types: [.double, .double, .int32])
        #expect(try setp.encode([.double(1.25), .double(-2.5), .int32(7)])
                == [1, 0x3F, 0xF4, 0, 0, 0, 0, 0, 0, 0xC0, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7])
    }

    @Test("A trailing comma adds no empty name; an empty middle name is kept for NOT_FOUND")
    func trailingComma() throws {
        var writer = BigEndianWriter()
        writer.uint16(0); writer.uint8(RTDEPackageType.setupOutputs.rawValue); writer.double(500)
        writer.string("actual_q,actual_qd,")
        var frame = writer.bytes
        frame[1] = UInt8(frame.count)
        #expect(try RTDEPackage.decode(frame: frame, direction: .toController)
                == .setupOutputs(frequency: 500, names: ["actual_q", "actual_qd"]))
        #expect(RTDEVariables.splitNames("a,,b") == ["a", "", "b"])
        #expect(RTDEVariables.splitNames("") == [])
    }

    @Test("Recipe replies with NOT_FOUND or IN_USE become typed errors naming the variables")
    func refusals() throws {
        #expect(throws: RTDEError.variablesNotFound(["bogus"])) {
            try RTDERecipe(id: 1, names: ["timestamp", "bogus"], replyTypes: ["DOUBLE", "NOT_FOUND"])
        }
        #expect(throws: RTDEError.variablesInUse(["input_int_register_0"])) {
            try RTDERecipe(id: 0, names: ["input_int_register_0"], replyTypes: ["IN_USE"])
        }
        #expect(throws: RTDEError.self) { try RTDERecipe(id: 1, names: ["a", "b"], replyTypes: ["DOUBLE"]) }
        #expect(throws: RTDEError.self) { try RTDERecipe(id: 1, names: ["a"], replyTypes: ["FLOAT128"]) }
        #expect(try RTDEPackage.decode(frame: [0, 4, 0x56, 0], direction: .toClient) == .protocolVersionReply(accepted: false))
    }

    @Test("Every wire type round-trips through a recipe with exact sizes")
    func wireTypes() throws {
        let values: [RTDEValue] = [.bool(true), .uint8(200), .uint32(4_000_000_000), .uint64(1 << 60), .int32(-7),
                                   .double(-0.125), .vector3d([1, 2, 3]), .vector6d([1, 2, 3, 4, 5, 6]),
                                   .vector6int32([-1, 2, -3, 4, -5, 253]), .vector6uint32([1, 2, 3, 4, 5, 6])]
        let recipe = try RTDERecipe(id: 3, names: values.indices.map { "v\($0)" }, types: values.map(\.wireType))
        let payload = try recipe.encode(values)
        #expect(payload.count == 1 + 1 + 1 + 4 + 8 + 4 + 8 + 24 + 48 + 24 + 24)
        #expect(try recipe.decode(payload: payload) == values)
        #expect(throws: RTDEError.self) { try recipe.decode(payload: Array(payload.dropLast())) }
        #expect(throws: RTDEError.self) { try recipe.decode(payload: payload + [0]) }
        #expect(throws: RTDEError.self) { try recipe.encode([.double(1)] + values.dropFirst()) }
        #expect(throws: RTDEError.self) {
            try RTDERecipe(id: 1, names: ["x"], types: [.vector6d]).encode([.vector6d([1, 2])])
        }
    }

    @Test("The variable table gives ur_rtde's exact types and refuses unknown names")
    func variableTable() {
        #expect(RTDEVariables.outputType(of: "actual_current_as_torque") == .vector6d)
        #expect(RTDEVariables.outputType(of: "joint_mode") == .vector6int32)
        #expect(RTDEVariables.outputType(of: "runtime_state") == .uint32)
        #expect(RTDEVariables.outputType(of: "robot_mode") == .int32)
        #expect(RTDEVariables.outputType(of: "output_int_register_47") == .int32)
        #expect(RTDEVariables.outputType(of: "output_int_register_48") == nil)
        #expect(RTDEVariables.outputType(of: "output_double_register_07") == nil)
        #expect(RTDEVariables.inputType(of: "input_double_register_23") == .double)
        #expect(RTDEVariables.inputType(of: "actual_q") == nil)
        #expect(RTDEVariables.inputType(of: "external_force_torque") == .vector6d)
    }

    @Test("The frame buffer reassembles frames split at every byte boundary")
    func frameBuffer() throws {
        let frames = try [RTDEPackage.startReply(accepted: true), .data(payload: [1, 2, 3]),
                          .controllerVersion(RTDEControllerVersion(major: 5, minor: 1, bugfix: 2, build: 3))]
            .map { try $0.encoded() }
        let stream = frames.flatMap { $0 }
        for split in 0...stream.count {
            var buffer = RTDEFrameBuffer()
            var out: [[UInt8]] = []
            buffer.append(stream[..<split])
            while let frame = try buffer.nextFrame() { out.append(frame) }
            buffer.append(stream[split...])
            while let frame = try buffer.nextFrame() { out.append(frame) }
            #expect(out == frames)
            #expect(buffer.pendingByteCount == 0)
        }
    }
}
