"""The bench's fixed CPU load: burner processes the bench starts before a side's browser and stops after it, so
each side of a loaded run competes with the same load. Each burner is pinned to one CPU and runs a fixed duty
cycle (busy for duty × period, then asleep until the period ends), at the default scheduling priority, as another
application on an agent's desktop would. What each burner actually consumed is measured (its rusage), so a
result shows that both sides had the same load.

usage (for a look at it alone): .venv/bin/python tests/bench/load.py [--seconds 5] [--duty 0.8] ..."""
import argparse
import os
import signal
import subprocess
import sys
import time

# One burner, as a program of its own: pinned by the bench (sched_setaffinity) right after it starts; it ends
# with the bench's process, even if the bench never gets to stop it.
_BURNER = """
import os, sys, time
busy_s, period_s = float(sys.argv[1]), float(sys.argv[2])
parent = os.getppid()
start = time.monotonic()
while os.getppid() == parent:  # a bench that dies (killed, timed out) takes its burners with it
    while time.monotonic() - start < busy_s:
        pass
    start += period_s
    pause = start - time.monotonic()
    if pause > 0:
        time.sleep(pause)
    else:
        start = time.monotonic()  # late (the machine is busier still): the next period starts now
"""


class LoadSetting:
    """What load to apply: `per_cpu` burners on each CPU of `cpus` (None: every CPU the bench may use), each
    busy `duty` of every `period_ms`."""

    def __init__(self, duty=0.8, period_ms=10.0, per_cpu=1, cpus=None):
        if not 0 < duty <= 1:
            raise ValueError("duty must be in (0, 1]")
        if period_ms <= 0 or per_cpu < 1:
            raise ValueError("period_ms must be positive and per_cpu at least 1")
        self.duty = duty
        self.period_ms = period_ms
        self.per_cpu = per_cpu
        self.cpus = sorted(cpus) if cpus else sorted(os.sched_getaffinity(0))

    def describe(self):
        """The setting as the results' `machine` block records it."""
        return {"burners": self.per_cpu * len(self.cpus), "cpus": self.cpus, "per_cpu": self.per_cpu,
                "duty": self.duty, "period_ms": self.period_ms, "nice": os.getpriority(os.PRIO_PROCESS, 0),
                "pinned": "one CPU per burner (sched_setaffinity)",
                "expected_cpu_share": round(self.duty * self.per_cpu * len(self.cpus), 2)}


class CpuLoad:
    """The burners of one side's run: start() before its browser launches, stop() once it is measured; stop()
    returns what they consumed. Usable as a context manager."""

    def __init__(self, setting):
        self.setting = setting
        self._burners = []
        self._started = None

    def start(self):
        busy_s = self.setting.duty * self.setting.period_ms / 1000
        period_s = self.setting.period_ms / 1000
        for cpu in self.setting.cpus:
            for _ in range(self.setting.per_cpu):
                burner = subprocess.Popen([sys.executable, "-c", _BURNER, str(busy_s), str(period_s)],
                                          stdin=subprocess.DEVNULL)
                self._burners.append(burner)
                try:
                    os.sched_setaffinity(burner.pid, {cpu})
                except OSError:
                    self.stop()
                    raise
        self._started = time.monotonic()
        return self

    def stop(self):
        """Stops the burners (by their PIDs) and returns {wall_s, cpu_s, share}: the seconds they ran, the CPU
        seconds they used, and that as CPUs' worth (cpu_s / wall_s)."""
        wall = time.monotonic() - self._started if self._started is not None else 0.0
        cpu = 0.0
        for burner in self._burners:
            # never waited for until now, so the PID is still this child's (at worst a zombie)
            os.kill(burner.pid, signal.SIGTERM)
            _, status, usage = os.wait4(burner.pid, 0)
            burner.returncode = os.waitstatus_to_exitcode(status)
            cpu += usage.ru_utime + usage.ru_stime
        self._burners = []
        self._started = None
        return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "share": round(cpu / wall, 2) if wall else None}

    def __enter__(self):
        return self.start()

    def __exit__(self, *_):
        self.stop()


class NoLoad:
    """The quiet mode: the same interface, nothing started."""
    setting = None

    def start(self):
        return self

    def stop(self):
        return None

    def __enter__(self):
        return self

    def __exit__(self, *_):
        pass


def main():
    parser = argparse.ArgumentParser(prog="tests/bench/load.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--duty", type=float, default=0.8)
    parser.add_argument("--period-ms", type=float, default=10)
    parser.add_argument("--per-cpu", type=int, default=1)
    args = parser.parse_args()
    setting = LoadSetting(args.duty, args.period_ms, args.per_cpu)
    load = CpuLoad(setting).start()
    time.sleep(args.seconds)
    print(setting.describe(), load.stop())


if __name__ == "__main__":
    main()
