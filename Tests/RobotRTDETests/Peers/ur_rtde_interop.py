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


def hold(command, converged, timeout):
    """Keeps servoing the final target until the arm is there: under CPU load the sim's ticks lag the client's
    periods, and a servoStop issued while the arm still trails would stop it short of the target."""
    deadline = time.time() + timeout
    while time.time() < deadline and not converged():
        period_start = control.initPeriod()
        command()
        control.kickWatchdog()
        control.waitPeriod(period_start)


STOPPED = 1  # RuntimeState.stopped
PLAYING = 2


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
hold(lambda: control.servoJ(q, 0.5, 0.5, 0.002, 0.1, 300),
     lambda: max(abs(a - b) for a, b in zip(receive.getActualQ(), q)) < 1e-7, 5.0)
report["servoStop"] = control.servoStop()
wait_until(lambda: max(abs(v) for v in receive.getActualQd()) < 1e-9, 5.0)
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
hold(lambda: control.servoL(p, 0.5, 0.5, 0.002, 0.1, 300),
     lambda: abs(receive.getActualTCPPose()[2] - report["servoL_target_z"]) < 1e-7, 5.0)
control.servoStop()
wait_until(lambda: max(abs(v) for v in receive.getActualQd()) < 1e-9, 5.0)
report["z_after_servoL"] = receive.getActualTCPPose()[2]

control.stopScript()
wait_until(lambda: receive.getRuntimeState() == STOPPED, 5.0)
report["runtime_after_stopScript"] = receive.getRuntimeState()

# The watchdog: armed at 10 Hz, then silence -> the controller stops the program.
report["reupload"] = control.reuploadScript()
wait_until(lambda: receive.getRuntimeState() == PLAYING, 5.0)
control.setWatchdog(10.0)
time.sleep(0.5)  # silence: five missed 10 Hz kicks; then give a loaded sim time to notice
wait_until(lambda: receive.getRuntimeState() == STOPPED, 5.0)
report["runtime_after_silence"] = receive.getRuntimeState()

control.disconnect()
receive.disconnect()
print(json.dumps(report))
