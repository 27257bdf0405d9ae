"""Drives the simulated UR30e with the real third-party client ur_rtde (PyPI `ur-rtde`).

Run by RobotRTDETests/URRTDEInteropTests.swift against a simulator on 127.0.0.1 with the standard
ports (ur_rtde's ports are fixed). Prints one JSON object; exit code 0 when every call succeeded.
"""
import json
import math
import sys
import time

import rtde_control
import rtde_receive

HOST = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1"
report = {}


def wait_until(condition, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.005)
    return condition()


receive = rtde_receive.RTDEReceiveInterface(HOST)
report["receive_connected"] = receive.isConnected()
time.sleep(0.1)
report["initial_q"] = receive.getActualQ()
report["initial_pose"] = receive.getActualTCPPose()
report["timestamp"] = receive.getTimestamp()

started = time.time()
control = rtde_control.RTDEControlInterface(HOST)
report["control_connect_s"] = time.time() - started
report["control_connected"] = control.isConnected()
report["program_running"] = control.isProgramRunning()

target = [0.2, -1.4, 1.4, -1.6, -1.5, 0.1]
report["moveJ"] = control.moveJ(target, 1.0, 1.0)
time.sleep(0.02)
report["q_after_moveJ"] = receive.getActualQ()
report["moveJ_target"] = target

control.setWatchdog(10.0)
q = list(target)
ok = 0
ticks = 500
t0 = time.time()
for tick in range(1, ticks + 1):
    period_start = control.initPeriod()
    q[0] = target[0] + 0.1 * (1 - math.cos(math.pi * tick / ticks)) / 2
    ok += bool(control.servoJ(q, 0.5, 0.5, 0.002, 0.1, 300))
    control.kickWatchdog()
    control.waitPeriod(period_start)
report["servoJ_ok"] = ok
report["servoJ_ticks"] = ticks
report["servoJ_rate_hz"] = ticks / (time.time() - t0)
report["servoJ_final_target"] = q
report["servoStop"] = control.servoStop()
wait_until(lambda: max(abs(v) for v in receive.getActualQd()) < 1e-9, 1.0)
report["q_after_servoJ"] = receive.getActualQ()

pose = receive.getActualTCPPose()
ok = 0
for tick in range(1, 251):
    period_start = control.initPeriod()
    p = list(pose)
    p[2] = pose[2] + 0.02 * (1 - math.cos(math.pi * tick / 250)) / 2
    ok += bool(control.servoL(p, 0.5, 0.5, 0.002, 0.1, 300))
    control.kickWatchdog()
    control.waitPeriod(period_start)
report["servoL_ok"] = ok
report["servoL_target_z"] = pose[2] + 0.02
control.servoStop()
wait_until(lambda: max(abs(v) for v in receive.getActualQd()) < 1e-9, 1.0)
report["z_after_servoL"] = receive.getActualTCPPose()[2]

control.stopScript()
report["runtime_after_stopScript"] = receive.getRuntimeState()

# The watchdog: armed at 10 Hz, then silence -> the controller stops the program.
report["reupload"] = control.reuploadScript()
wait_until(lambda: receive.getRuntimeState() == 2, 2.0)
control.setWatchdog(10.0)
time.sleep(0.5)
report["runtime_after_silence"] = receive.getRuntimeState()

control.disconnect()
receive.disconnect()
print(json.dumps(report))
