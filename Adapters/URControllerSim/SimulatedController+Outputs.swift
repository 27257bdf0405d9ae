import ProphRLCore

extension SimulatedController {
    /// The value of output variable `name` with its exact UR wire type (zeros for what is not modelled).
    func output(_ name: String, type: RTDEWireType) -> RTDEValue {
        switch name {
        case "timestamp": return .double(time)
        case "actual_q": return .vector6d(arm.q)
        case "target_q": return .vector6d(arm.targetQ)
        case "actual_qd", "target_qd": return .vector6d(arm.qd)
        case "target_qdd": return .vector6d(arm.qdd)
        case "actual_TCP_pose", "target_TCP_pose": return .vector6d(arm.tcpPose)
        case "actual_TCP_speed", "target_TCP_speed": return .vector6d(arm.tcpSpeed)
        case "robot_mode": return .int32(robotMode.rawValue)
        case "safety_mode": return .int32(safetyMode.rawValue)
        case "safety_status_bits": return .uint32(safetyMode.statusBits)
        case "runtime_state": return .uint32(runtimeState.rawValue)
        case "robot_status_bits": return .uint32(robotStatusBits)
        case "joint_mode":
            let running: Int32 = robotMode == .running ? 253 : 255
            return .vector6int32(Array(repeating: running, count: 6))
        case "speed_scaling", "target_speed_fraction": return .double(speedSlider)
        case "actual_digital_output_bits": return .uint64(digitalOutputs)
        case "input_bit_registers0_to_31": return .uint32(inputBits[0])
        case "input_bit_registers32_to_63": return .uint32(inputBits[1])
        case "actual_main_voltage": return .double(48)
        case "actual_robot_voltage": return .double(robotMode == .running ? 48 : 0)
        case "joint_temperatures": return .vector6d(Array(repeating: 30, count: 6))
        case "actual_execution_time": return .double(0.1)
        default: break
        }
        if let i = RTDEVariables.registerIndex(name, "output_int_register_") { return .int32(outputInt[i]) }
        if let i = RTDEVariables.registerIndex(name, "output_double_register_") { return .double(outputDouble[i]) }
        if let i = RTDEVariables.registerIndex(name, "input_int_register_") { return .int32(inputInt[i]) }
        if let i = RTDEVariables.registerIndex(name, "input_double_register_") { return .double(inputDouble[i]) }
        return .zero(type)
    }
}
