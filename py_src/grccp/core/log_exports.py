"""Log downloads in progress hold back deletions. A download reads the chunks its plan names
(log_chunks.ChunkedLog.export_plan) after the background has answered; a log at capacity trims its oldest chunk
as new entries arrive, and deleting that chunk under a download would leave its file without it (or fail it). So
while a download is open, what a write would delete waits, and goes when the last download ends (or, for one
whose page never said so, after HOLD_MS).

Pure: time comes in as now_ms."""

HOLD_MS = 120_000  # a download that never ends (its page closed) holds deletions this long at most


class ExportHold:
    __slots__ = ("_open", "_next", "_local", "_archive")

    def __init__(self):
        self._open = {}      # download id -> when it stops holding
        self._next = 0
        self._local = []     # local keys waiting to be deleted
        self._archive = []   # archived chunks waiting to be deleted

    def begin(self, now_ms):
        """A download starts reading: returns its id."""
        self._next += 1
        self._open[self._next] = now_ms + HOLD_MS
        return self._next

    def end(self, download_id, now_ms):
        """The download has read everything: (local keys, archived chunks) to delete now."""
        self._open.pop(download_id, None)
        return self.removals([], [], now_ms)

    def removals(self, local_keys, archived_chunks, now_ms):
        """What to delete now of what a write would delete, (local keys, archived chunks): nothing while a download
        is open, everything held so far once none is."""
        for download_id, until in list(self._open.items()):
            if until <= now_ms:
                del self._open[download_id]
        self._local.extend(local_keys)
        self._archive.extend(archived_chunks)
        if self._open:
            return [], []
        local, self._local = self._local, []
        archive, self._archive = self._archive, []
        return local, archive
