/// The RTDE variable table: each output and input name with its exact UR wire type (robot.md §1.6).
///
/// Clients such as `ur_rtde` decode data with their own name→type table, so a controller (or the
/// simulator) must serialize every variable with exactly these types.
public enum RTDEVariables {
    /// Number of general-purpose int and double registers in each direction (0–47).
    public static let registerCount = 48

    /// Fixed-name output variables and their types.
    public static let fixedOutputs: [String: RTDEWireType] = {
        var table: [String: RTDEWireType] = [:]
        for name in ["timestamp", "speed_scaling", "target_speed_fraction", "actual_execution_time",
                     "actual_momentum", "actual_main_voltage", "actual_robot_voltage", "actual_robot_current",
                     "standard_analog_input0", "standard_analog_input1", "standard_analog_output0",
                     "standard_analog_output1", "payload", "tool_analog_input0", "tool_analog_input1",
                     "tool_output_current", "tool_temperature", "io_current", "tcp_force_scalar"] {
            table[name] = .double
        }
        for name in ["target_q", "target_qd", "target_qdd", "target_current", "target_moment", "actual_q",
                     "actual_qd", "actual_current", "joint_control_output", "actual_TCP_pose", "actual_TCP_speed",
                     "actual_TCP_force", "target_TCP_pose", "target_TCP_speed", "joint_temperatures",
                     "actual_joint_voltage", "actual_current_as_torque", "ft_raw_wrench", "payload_inertia",
                     "actual_current_window"] {
            table[name] = .vector6d
        }
        for name in ["actual_tool_accelerometer", "payload_cog", "elbow_position", "elbow_velocity"] {
            table[name] = .vector3d
        }
        for name in ["robot_mode", "safety_mode", "tool_output_voltage"] { table[name] = .int32 }
        for name in ["runtime_state", "robot_status_bits", "safety_status_bits", "analog_io_types",
                     "tool_mode", "tool_analog_input_types", "output_bit_registers0_to_31",
                     "output_bit_registers32_to_63", "input_bit_registers0_to_31", "input_bit_registers32_to_63",
                     "script_control_line", "speed_slider_mask"] {
            table[name] = .uint32
        }
        for name in ["actual_digital_input_bits", "actual_digital_output_bits"] { table[name] = .uint64 }
        table["joint_mode"] = .vector6int32
        table["tool_output_mode"] = .uint8
        table["tool_digital_output0_mode"] = .uint8
        table["tool_digital_output1_mode"] = .uint8
        return table
    }()

    /// Fixed-name input variables and their types.
    public static let fixedInputs: [String: RTDEWireType] = [
        "speed_slider_mask": .uint32, "speed_slider_fraction": .double,
        "standard_digital_output_mask": .uint8, "standard_digital_output": .uint8,
        "configurable_digital_output_mask": .uint8, "configurable_digital_output": .uint8,
        "tool_digital_output_mask": .uint8, "tool_digital_output": .uint8,
        "standard_analog_output_mask": .uint8, "standard_analog_output_type": .uint8,
        "standard_analog_output_0": .double, "standard_analog_output_1": .double,
        "input_bit_registers0_to_31": .uint32, "input_bit_registers32_to_63": .uint32,
        "external_force_torque": .vector6d,
    ]

    /// The wire type of an output variable, or nil when the controller would answer `NOT_FOUND`.
    public static func outputType(of name: String) -> RTDEWireType? {
        if let type = fixedOutputs[name] { return type }
        // Registers are readable as outputs in both directions (a client may watch its own inputs).
        for prefix in ["output_int_register_", "input_int_register_"] where registerIndex(name, prefix) != nil {
            return .int32
        }
        for prefix in ["output_double_register_", "input_double_register_"] where registerIndex(name, prefix) != nil {
            return .double
        }
        return nil
    }

    /// The wire type of an input variable, or nil when the controller would answer `NOT_FOUND`.
    public static func inputType(of name: String) -> RTDEWireType? {
        if let type = fixedInputs[name] { return type }
        if registerIndex(name, "input_int_register_") != nil { return .int32 }
        if registerIndex(name, "input_double_register_") != nil { return .double }
        return nil
    }

    /// The register number N of `prefix`N when 0 ≤ N < 48 and written without leading zeros.
    public static func registerIndex(_ name: String, _ prefix: String) -> Int? {
        guard name.hasPrefix(prefix) else { return nil }
        let digits = name.dropFirst(prefix.count)
        guard !digits.isEmpty, digits.count <= 2, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              let index = Int(digits), index < registerCount, String(index) == digits else { return nil }
        return index
    }

    /// Splits a comma-separated name list, ignoring one empty last name (ur_rtde's trailing comma).
    public static func splitNames(_ text: String) -> [String] {
        var names = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        if names.last == "" { names.removeLast() }
        return names
    }
}
