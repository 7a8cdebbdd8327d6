"""The bench's modes and its fixed CPU load (the browsers' part is proven by `make bench-smoke`)."""
import os
import time

import pytest

from bench import load, modes


def test_modes_are_parsed_in_order_without_repeats():
    assert modes.parse_modes("loaded, quiet,loaded") == ["loaded", "quiet"]
    assert modes.parse_modes(modes.DEFAULT_MODES) == ["quiet", "loaded", "firefox"]
    for text in ("", "quiet,turbo"):
        with pytest.raises(ValueError):
            modes.parse_modes(text)


def test_each_mode_names_its_browser_its_load_and_its_block():
    assert [(modes.browser(m), modes.loaded(m), modes.block(m)) for m in modes.MODES] == [
        ("chromium", False, None), ("chromium", True, "loaded"), ("firefox", False, "firefox"),
        ("firefox", True, "firefox_loaded")]
    setting = load.LoadSetting()
    assert isinstance(modes.load_for("quiet", setting), load.NoLoad)
    assert isinstance(modes.load_for("loaded", setting), load.CpuLoad)


def test_a_load_setting_is_checked_and_described():
    for bad in ({"duty": 0}, {"duty": 1.5}, {"period_ms": 0}, {"per_cpu": 0}):
        with pytest.raises(ValueError):
            load.LoadSetting(**bad)
    cpu = min(os.sched_getaffinity(0))
    described = load.LoadSetting(duty=0.5, period_ms=20, per_cpu=2, cpus=[cpu]).describe()
    assert described["burners"] == 2 and described["cpus"] == [cpu] and described["expected_cpu_share"] == 1.0


def test_burners_are_pinned_while_they_run_and_gone_after_stop():
    cpu = min(os.sched_getaffinity(0))
    burners = load.CpuLoad(load.LoadSetting(duty=0.5, period_ms=10, per_cpu=2, cpus=[cpu])).start()
    pids = [burner.pid for burner in burners._burners]
    try:
        assert len(pids) == 2 and all(os.sched_getaffinity(pid) == {cpu} for pid in pids)
        time.sleep(0.3)
    finally:
        used = burners.stop()
    assert not any(os.path.exists(f"/proc/{pid}") for pid in pids)
    assert used["wall_s"] >= 0.3 and used["cpu_s"] > 0
