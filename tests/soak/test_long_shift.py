"""A short shift in `make test` (the full one is `make soak`): failovers complete in order, the last state is
right, and the log store keeps within its bound even when more lines arrive than it may keep, each line once."""
from .long_shift import run


def test_short_shift(run_dir):
    report = run(contacts=20, failovers=2, log_lines=1500, tabs=2, work=run_dir, max_log_entries=1000)
    assert report["timeline_in_order"], report
    assert report["final_active"], report
    assert report["log_store_complete"] and report["log_store_within_bound"], report
    assert not any(report["log_store_repeats"].values()), report
