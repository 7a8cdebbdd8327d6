"""A tab's log lines on their way to the background: the extension's own lines and the CCPs' relayed ones are
collected per region and sent every FLUSH_MS as cs:log-batch messages of at most SEND_SIZE entries, one batch
per task, so that a flood of log lines never holds a visible page (and a switch) for long. Messages the frame
bridge dropped are counted and reported, once per flush, in every region's log.

A hidden tab sends its batches in one go (the browser may run its timers only once a minute, and the batches
would pile up); a tab that is left sends everything it holds at once (leave()).

Pure: the effects come in as functions — send(region, entries), now_ms(), call_later(ms, callback), is_hidden()."""
from . import logs
from .runtime_messages import MAX_LOG_BATCH

FLUSH_MS = 1000
SEND_SIZE = MAX_LOG_BATCH // 4  # entries per cs:log-batch, each batch checked and converted in a task of its own


class LogShipper:
    __slots__ = ("logger_id", "agent_resource_id", "_regions", "_send", "_now_ms", "_call_later", "_is_hidden",
                 "_pending", "_dropped", "_batches")

    def __init__(self, regions, logger_id, send, now_ms, call_later, is_hidden):
        self.logger_id = logger_id
        self.agent_resource_id = {}  # region -> the agent's resource id, stamped on every entry (as Streams does)
        self._regions = tuple(regions)
        self._send = send
        self._now_ms = now_ms
        self._call_later = call_later
        self._is_hidden = is_hidden
        self._pending = {}   # region -> entries not yet batched
        self._dropped = {}   # reason -> count since the last flush
        self._batches = []   # (region, entries) waiting to be sent, one per task

    def start(self):
        """Flushes every FLUSH_MS from now on."""
        self._call_later(FLUSH_MS, self.flush)

    def log(self, region, level, text):
        """A line of the extension's own."""
        entry = logs.make_entry(level, text, self._now_ms(), self.logger_id, self.agent_resource_id.get(region))
        self._pending.setdefault(region, []).append(entry)

    def take_relayed(self, region, relayed, now_ms):
        """A line a CCP relayed (logs.parse_relayed_entry); the tab's own lines coming back are dropped."""
        entry = logs.intake_relayed(relayed, self.logger_id, self.agent_resource_id.get(region), now_ms)
        if entry is not None:
            self._pending.setdefault(region, []).append(entry)

    def count_drop(self, reason):
        self._dropped[reason] = self._dropped.get(reason, 0) + 1

    def flush(self):
        self._call_later(FLUSH_MS, self.flush)  # first: whatever happens below
        sending = bool(self._batches)
        self._queue_batches()
        if not sending:
            self._send_batches()

    def leave(self):
        """The tab closes or navigates away: every line it holds goes now, in this task (no later task of a page
        that is left runs, and a tab left by navigation may still be visible)."""
        self._queue_batches()
        self._send_batches(all_now=True)

    def _queue_batches(self):
        if self._dropped:
            summary = ", ".join(f"{count}× {reason}" for reason, count in self._dropped.items())
            self._dropped = {}
            for region in self._regions:
                self.log(region, "WARN", f"dropped messages: {summary}")
        for region, entries in self._pending.items():
            for start in range(0, len(entries), SEND_SIZE):
                self._batches.append((region, entries[start:start + SEND_SIZE]))
        self._pending = {}

    def _send_batches(self, all_now=False):
        """The waiting batches in order, one per task (all at once in a hidden tab, or with all_now)."""
        while self._batches:
            region, entries = self._batches.pop(0)
            self._send(region, entries)
            if self._batches and not all_now and not self._is_hidden():
                self._call_later(0, self._send_batches)
                return
