"""What the bench reads about processes (Linux /proc): roles from command lines, CPU time by role."""
import os

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
