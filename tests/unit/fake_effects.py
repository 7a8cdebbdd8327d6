"""Fake effects for the core's modules that take their timers and I/O as functions (outbox, log_shipping): a
clock with timers that run when the test advances it, a render step, and a record of what was sent."""


class FakeTimers:
    def __init__(self):
        self.now = 0
        self.tasks = 0      # timer callbacks run so far (each is a task of its own)
        self.delays = []    # every delay asked for
        self._timers = {}   # handle -> (due, callback)
        self._next = 0

    def now_ms(self):
        return self.now

    def call_later(self, delay_ms, callback):
        self._next += 1
        self.delays.append(delay_ms)
        self._timers[self._next] = (self.now + delay_ms, callback)
        return self._next

    def cancel(self, handle):
        self._timers.pop(handle, None)

    def advance(self, ms):
        """Runs every timer due within `ms`, in the order they are due."""
        end = self.now + ms
        while True:
            due = [(when, handle) for handle, (when, _) in self._timers.items() if when <= end]
            if not due:
                break
            when, handle = min(due)
            self.now = when
            _, callback = self._timers.pop(handle)
            self.tasks += 1
            callback()
        self.now = end


class FakeRender:
    """after_render(callback): the callbacks run when the test calls render()."""

    def __init__(self):
        self.waiting = []

    def after_render(self, callback):
        self.waiting.append(callback)

    def render(self):
        waiting, self.waiting = self.waiting, []
        for callback in waiting:
            callback()
