/// The URScript control program ProphRL uploads: it executes commands written to RTDE input registers.
///
/// Register protocol (robot.md §3, command numbering shared with ``ProphRLCore/ControlCommandCode``):
/// `input_int_register_0` = command, `input_double_register_0…10` = arguments,
/// `output_int_register_0` = 1 ready / 2 done. Servo and speed commands are real-time (applied every
/// cycle, ready at once); moves and stops are blocking (done when finished, until the client writes 0).
/// Code 35 arms an RTDE watchdog on the command register with action "stop".
enum ControlScript {
    static let name = "prophrl_control"

    static let text = """
    def prophrl_control():
      global cmd = 0
      global target = [0, 0, 0, 0, 0, 0]
      global params = [0, 0, 0, 0, 0]
      global servo_mode = 0
      thread servo_thread():
        while True:
          if servo_mode == 11:
            servoj(target, 0, 0, params[2], params[3], params[4])
          elif servo_mode == 24:
            servol(p[target[0], target[1], target[2], target[3], target[4], target[5]], 0, 0, params[2], params[3], params[4])
          elif servo_mode == 10:
            speedl(target, params[0], 0.002)
          else:
            sync()
          end
        end
      end
      def read_args(n):
        i = 0
        while i < 6:
          target[i] = read_input_float_register(i)
          i = i + 1
        end
        i = 0
        while i < n:
          params[i] = read_input_float_register(6 + i)
          i = i + 1
        end
      end
      servo = run servo_thread()
      write_output_integer_register(0, 1)
      while True:
        cmd = read_input_integer_register(0)
        if cmd == 11 or cmd == 24:
          read_args(5)
          servo_mode = cmd
          write_output_integer_register(0, 1)
        elif cmd == 10:
          read_args(2)
          servo_mode = 10
          write_output_integer_register(0, 1)
        elif cmd == 0:
          write_output_integer_register(0, 1)
        elif cmd == 255:
          servo_mode = 0
          stopj(4.0)
          break
        elif read_output_integer_register(0) != 2:
          write_output_integer_register(0, 0)
          servo_mode = 0
          if cmd == 1:
            read_args(2)
            movej(target, a=params[1], v=params[0])
          elif cmd == 3:
            read_args(2)
            movel(p[target[0], target[1], target[2], target[3], target[4], target[5]], a=params[1], v=params[0])
          elif cmd == 15 or cmd == 33:
            stopl(read_input_float_register(0))
          elif cmd == 16 or cmd == 34:
            stopj(read_input_float_register(0))
          elif cmd == 35:
            rtde_set_watchdog("input_int_register_0", read_input_float_register(0), "stop")
          end
          write_output_integer_register(0, 2)
        end
        sync()
      end
      kill servo
    end
    """
}
