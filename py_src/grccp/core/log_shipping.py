"""A tab's log lines on their way to the background: the extension's own lines and the CCPs' relayed ones are
collected per region, in order, and cut into messages of at most SEND_SIZE lines: cs:log-batch for the extension's
own entries, cs:relayed-logs for the CCPs' lines. A region's lines go as soon as they fill a message (in a flood the
background gets them as fast as it takes them, not once per flush), the rest every FLUSH_MS. Relayed lines are neither read nor converted here:
they come as the frame bridge handed them over (blocks of JSON text) and the background checks them
(logs.intake_relayed_blocks). The tab runs on the page's main thread, which the CCP frames may share: converting
every line there (thousands a second in a flood) delayed the CCPs' heartbeat answers and failover messages.

A batch is sent once the background has taken the one before (MAX_IN_FLIGHT): the background is never handed
more log work than it can do, so a log flood cannot queue up in front of a failover report or a status request,
and each batch goes in a task of its own (the answer's). A batch the background did not take (no answer, an
error, a send that failed) is kept and sent again, first after RETRY_MS and then after twice as long each time,
up to MAX_RETRY_MS: retries are bounded in rate, and shipping never stops for good. The lines a tab holds are
bounded too, per region, by as many as the region's log keeps (`capacity`, the configuration's
logs.maxEntriesPerRegion): past it the region's oldest waiting batch goes — lines the log would have dropped for the
newer ones anyway — and how many went is logged in the region's log once the background takes a batch again. (A
bound on both regions together dropped lines the log would have kept: a flood of 2 × 50,000 lines into logs of
100,000 each, relayed faster than a loaded page let the background's answers in, lost its 3rd and 4th blocks.) Messages the frame bridge dropped are counted and reported, once
per flush, in every region's log.

A tab that is left sends everything it holds at once, not waiting for answers (leave()); a tab whose extension
went away (updated or reloaded: nothing will ever take its lines) stops (stop()).

The first batch not taken after one that was is logged in its region's log, with the reason (it reaches the
background with the next batch it takes), and counted (refused_batches).

Pure: the effects come in as functions — send(message, on_done) (a runtime message; on_done(taken, reason=None)
once, taken False if the background did not take it, reason why), now_ms(), call_later(ms, callback)."""
from . import logs
from .runtime_messages import MAX_LOG_BATCH, make_message

FLUSH_MS = 1000
SEND_SIZE = MAX_LOG_BATCH // 4  # entries per cs:log-batch, each batch checked and stored in a task of its own
MAX_IN_FLIGHT = 2               # batches sent and not answered yet
RETRY_MS = FLUSH_MS             # the first retry of a batch that was not taken; doubled on each failure
MAX_RETRY_MS = 30_000


class RelayedLines:
    """A block of lines a CCP relayed, unread: `text` the JSON array of their `log` messages' data, `count` lines."""
    __slots__ = ("text", "count", "received_ms", "agent_resource_id")

    def __init__(self, text, count, received_ms, agent_resource_id):
        self.text = text
        self.count = count
        self.received_ms = received_ms
        self.agent_resource_id = agent_resource_id


def _size(item):
    return item.count if type(item) is RelayedLines else 1


class LogShipper:
    __slots__ = ("logger_id", "agent_resource_id", "_regions", "_send", "_now_ms", "_call_later", "_pending",
                 "_pending_lines", "_dropped_messages", "_waiting", "_in_flight", "_held", "_held_in", "_capacity",
                 "_lost", "_failures",
                 "_retrying", "_sequence", "_stopped", "refused_batches")

    def __init__(self, regions, logger_id, send, now_ms, call_later, capacity):
        """capacity: the lines a region's log keeps (held at most per region; relayed lines are held as their JSON
        text, ~300 bytes a line)."""
        self.logger_id = logger_id
        self.agent_resource_id = {}  # region -> the agent's resource id, stamped on every entry (as Streams does)
        self._regions = tuple(regions)
        self._send = send
        self._now_ms = now_ms
        self._call_later = call_later
        self._pending = {}           # region -> entries and RelayedLines not yet batched, in arrival order
        self._pending_lines = {}     # region -> the lines in them
        self._dropped_messages = {}  # reason -> frame messages dropped since the last flush
        self._waiting = []           # [sequence, region, items, lines] batches to send, oldest first
        self._in_flight = []         # the same, sent and not answered yet
        self._held = 0               # lines in _pending, _waiting and _in_flight
        self._held_in = {}           # region -> its part of them
        self._capacity = capacity
        self._lost = {}              # region -> lines dropped past the capacity, not yet logged
        self._failures = 0           # batches not taken in a row
        self._retrying = False       # waiting for the retry timer: nothing is sent meanwhile
        self._sequence = 0
        self._stopped = False
        self.refused_batches = 0     # batches the background did not take, so far (each kept and sent again)

    @property
    def held(self):
        """Entries the tab holds (not taken by the background yet)."""
        return self._held

    def start(self):
        """Flushes every FLUSH_MS from now on."""
        self._call_later(FLUSH_MS, self.flush)

    def log(self, region, level, text, at_ms=None):
        """A line of the extension's own (at_ms: when it happened, if not now)."""
        self._add(region, logs.make_entry(level, text, self._now_ms() if at_ms is None else at_ms, self.logger_id,
                                          self.agent_resource_id.get(region)))

    def take_relayed(self, region, text, count):
        """`count` lines a CCP relayed, unread (`text`: the JSON array of their `log` messages' data); the
        background checks them and drops the tab's own lines coming back."""
        if count > 0:
            self._add(region, RelayedLines(text, count, self._now_ms(), self.agent_resource_id.get(region)))

    def count_drop(self, reason):
        self._dropped_messages[reason] = self._dropped_messages.get(reason, 0) + 1

    def _add(self, region, item):
        if self._stopped:
            return
        self._pending.setdefault(region, []).append(item)
        size = _size(item)
        self._held += size
        self._held_in[region] = self._held_in.get(region, 0) + size
        self._pending_lines[region] = self._pending_lines.get(region, 0) + size
        if self._held_in[region] > self._capacity:
            self._drop_oldest(region)
        elif self._pending_lines[region] >= SEND_SIZE:  # a full message's worth: no reason to wait for the flush
            self._queue_batches()
            self._send_next()

    def _drop_oldest(self, region):
        """Past the capacity: the region's oldest batches not sent yet go (all pending lines are batched first),
        until a batch's room is free again (not at every line)."""
        self._queue_batches()
        while self._held_in[region] > self._capacity - SEND_SIZE:
            oldest = next((batch for batch in self._waiting if batch[1] == region), None)
            if oldest is None:
                return
            self._waiting.remove(oldest)
            self._lost[region] = self._lost.get(region, 0) + oldest[3]
            self._forget(oldest)

    def _forget(self, batch):
        self._held -= batch[3]
        self._held_in[batch[1]] -= batch[3]

    def flush(self):
        self._call_later(FLUSH_MS, self.flush)  # first: whatever happens below
        if self._stopped:
            return
        self._report_dropped_messages()
        self._queue_batches()
        self._send_next()

    def leave(self):
        """The tab closes or navigates away: every line it holds goes now, in this task, answers or not (no later
        task of a page that is left runs, and a tab left by navigation may still be visible)."""
        if self._stopped:
            return
        self._report_dropped_messages()
        self._queue_batches()
        waiting, self._waiting = self._waiting, []
        for batch in waiting:
            self._send_safely(batch, lambda *_answer: None)

    def stop(self):
        """Nothing will take the lines any more (the extension that started this tab is gone): drops them and sends
        nothing from now on. Returns how many lines were dropped."""
        dropped = self._held
        self._stopped = True
        self._pending, self._pending_lines, self._waiting, self._in_flight = {}, {}, [], []
        self._held, self._held_in = 0, {}
        return dropped

    def _report_dropped_messages(self):
        if self._dropped_messages:
            summary = ", ".join(f"{count}× {reason}" for reason, count in self._dropped_messages.items())
            self._dropped_messages = {}
            for region in self._regions:
                self.log(region, "WARN", f"dropped messages: {summary}")

    def _queue_batches(self):
        """Each region's pending items as batches, in order: a run of own entries or of relayed blocks, up to
        SEND_SIZE lines (a relayed block is never split: the frame bridge hands over fewer lines at a time)."""
        for region, items in self._pending.items():
            batch = None
            for item in items:
                relayed, size = type(item) is RelayedLines, _size(item)
                if (batch is None or (type(batch[2][0]) is RelayedLines) != relayed
                        or batch[3] + size > SEND_SIZE):
                    self._sequence += 1
                    batch = [self._sequence, region, [], 0]
                    self._waiting.append(batch)
                batch[2].append(item)
                batch[3] += size
        self._pending, self._pending_lines = {}, {}

    def _message(self, batch):
        _, region, items, _ = batch
        if type(items[0]) is RelayedLines:
            return make_message("cs:relayed-logs", region=region, loggerId=self.logger_id, blocks=[
                {"lines": block.text, "receivedMs": block.received_ms, "agentResourceId": block.agent_resource_id}
                for block in items])
        return make_message("cs:log-batch", region=region, entries=items)

    def _send_next(self):
        """Sends waiting batches, oldest first, while fewer than MAX_IN_FLIGHT are unanswered."""
        while not self._stopped and not self._retrying and self._waiting and len(self._in_flight) < MAX_IN_FLIGHT:
            batch = self._waiting.pop(0)
            self._in_flight.append(batch)
            self._send_safely(batch, self._answer_of(batch))

    def _send_safely(self, batch, on_done):
        try:
            self._send(self._message(batch), on_done)
        except Exception as problem:  # noqa: BLE001 -- a send that throws (the extension went away): not taken
            on_done(False, str(problem) or "the send failed")

    def _answer_of(self, batch):
        answered = [False]

        def on_done(taken, reason=None):
            if answered[0] or self._stopped:
                return
            answered[0] = True
            self._in_flight.remove(batch)
            if taken:
                self._taken(batch)
            else:
                self._not_taken(batch, reason)
        return on_done

    def _taken(self, batch):
        self._forget(batch)
        self._failures = 0
        if self._lost:
            lost, self._lost = self._lost, {}
            for region, count in lost.items():
                self.log(region, "WARN", f"{count} log lines were dropped: the background did not take them in "
                                         f"time (a tab holds at most {self._capacity} a region, as many as its "
                                         "log keeps)")
        self._send_next()

    def _not_taken(self, batch, reason):
        """Kept, in its place among the waiting batches, and sent again after the back-off."""
        self._waiting.append(batch)
        self._waiting.sort(key=lambda item: item[0])
        self._failures += 1
        self.refused_batches += 1
        delay = min(RETRY_MS * 2 ** (self._failures - 1), MAX_RETRY_MS)
        if self._failures == 1:
            self.log(batch[1], "WARN", f"the background did not take a batch of {batch[3]} log lines "
                                       f"({reason or 'no reason given'}): they are kept and sent again, the first "
                                       f"time in {delay} ms")
        if not self._retrying:
            self._retrying = True
            self._call_later(delay, self._retry)

    def _retry(self):
        self._retrying = False
        self._send_next()
