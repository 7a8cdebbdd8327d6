"""Wait on a condition with a deadline (tests never sleep a fixed time)."""
import time


def wait_until(condition, timeout_s=10.0, interval_s=0.05, message="condition"):
    """Return condition()'s first truthy value; fail with the last value seen after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    last = None
    while True:
        last = condition()
        if last:
            return last
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s}s waiting for {message}; last value: {last!r}")
        time.sleep(interval_s)
