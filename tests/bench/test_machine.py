"""What the bench reads about processes (Linux /proc): roles from command lines, CPU time by role, and when a
process tree has quieted down."""
import os
import subprocess
import sys
import time

import pytest

from bench import machine


def test_chromium_processes_get_their_role_from_their_switches():
    assert machine.chromium_role("/usr/lib/chromium/chromium --headless=new --no-sandbox") == "browser"
    assert machine.chromium_role("chromium --type=renderer --renderer-client-id=5") == "web"
    assert machine.chromium_role("chromium --type=renderer --extension-process --renderer-client-id=4") == "extension"
    assert machine.chromium_role("chromium --type=gpu-process") == "gpu"
    assert machine.chromium_role("chromium --type=utility --utility-sub-type=network.mojom.NetworkService") == "network"
    assert machine.chromium_role("chromium --type=utility --utility-sub-type=storage.mojom.StorageService") == "storage"
    assert machine.chromium_role("chromium --type=zygote") == "other"


def test_cpu_meter_counts_cpu_time_by_role_of_the_processes_that_last():
    began = machine.cpu_seconds(os.getpid())
    meter = machine.CpuMeter().start({os.getpid(): "bench", 2 ** 22 + 1: "gone"})  # (beyond any pid)
    total = 0
    while machine.cpu_seconds(os.getpid()) - began < 0.03:
        total += sum(range(1000))
    used = meter.stop()
    assert list(used) == ["bench"] and used["bench"] >= 20


def test_pss_by_role_counts_only_web_content_and_the_extension():
    found = machine.roles_pss({os.getpid(): "web", 2 ** 22 + 1: "extension", 1: "browser"})
    assert found["web_content_processes"] == 1 and found["web_content"] > 0
    assert found["extension_processes"] == 0 and found["extension"] == 0


class _FakeClock:
    """A clock that sleeping moves, and a CPU counter that follows a script of cores in use per window."""

    def __init__(self, cores_by_window):
        self.now, self.used, self.cores = 0.0, 0.0, list(cores_by_window)

    def sleep(self, seconds):
        self.used += (self.cores.pop(0) if self.cores else 0.0) * seconds
        self.now += seconds


def test_the_wait_for_a_quiet_browser_ends_with_the_first_quiet_window():
    clock = _FakeClock([1.8, 1.0, 0.3, 0.05, 0.0])
    waited = machine.wait_until_quiet(lambda: clock.used, window_s=0.5, idle_share=0.1, timeout_s=30,
                                      clock=lambda: clock.now, sleep=clock.sleep)
    assert waited == 2.0  # four windows: the fourth used 0.05 of a core, under a tenth


def test_the_wait_for_a_quiet_browser_gives_up_at_its_timeout():
    clock = _FakeClock([0.5] * 100)
    waited = machine.wait_until_quiet(lambda: clock.used, window_s=0.5, idle_share=0.1, timeout_s=3,
                                      clock=lambda: clock.now, sleep=clock.sleep)
    assert waited is None and clock.now == 3.0


def test_a_process_tree_counts_the_cpu_time_of_its_descendants_not_its_root():
    began = machine.cpu_seconds(os.getpid())
    while machine.cpu_seconds(os.getpid()) - began < 0.3:  # the root's own time, which must not count
        sum(range(1000))
    before = machine.tree_cpu_seconds(os.getpid())
    assert before < 0.3
    # The child says when it has burnt its half second and then sleeps, so its time stays put while it is read;
    # /proc counts in clock ticks, utime and stime each rounded down, hence the wide margin below 0.5.
    child = subprocess.Popen([sys.executable, "-c", "import time\nend = time.process_time() + 0.5\n"
                              "while time.process_time() < end: pass\nprint('burnt', flush=True)\ntime.sleep(30)"],
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline() == "burnt\n"
        counted = machine.tree_cpu_seconds(os.getpid()) - before
        assert counted == pytest.approx(machine.cpu_seconds(child.pid)) and counted >= 0.3
    finally:
        child.kill()
        child.wait()
