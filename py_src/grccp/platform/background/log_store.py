"""The background's per-region logs, persisted as chunks (core.log_chunks): an append writes only its own records
(a new segment of the region's open chunk) and the meta record to local storage, a chunk that fills up goes to
the archive (shared.log_archive) once; written at once, one write in flight at a time; a page reload, a background
restart or a browser restart loses nothing that was written. When the archive fails, the local write goes on
without it (the closed chunks go to local storage instead) and the archive is tried again every
ARCHIVE_RETRY_MS. The background holds only the open chunks (and chunks the archive refused) in memory: a download
reads the chunks from storage in the page that saves the files (pages.log_files), after flush(), and while it
reads, nothing it may read is deleted (begin_export/end_export, core.log_exports).

Interface used by the engine: LogStore(config), .load(on_done), .configure(config), .add(region, entries),
.log(region, level, text), .region(key); and by the UI handlers: .flush(on_done), .begin_export(),
.export_plan(region), .end_export(export_id)."""
import javascript

from grccp.core import log_chunks, logs
from grccp.core.errors import StateError
from grccp.core.log_exports import ExportHold

from grccp.platform.shared import clock, log_archive, storage

# Writes start as soon as the current task ends (entries of one task go in one write); while one is in flight,
# what arrives goes in the next. So an entry is in storage within one write of its arrival.
PERSIST_DELAY_MS = 0
RETRY_MS = 2000  # after a failed local write (the entries stay in memory and go with the next one)
ARCHIVE_RETRY_MS = 10000  # after the archive refused a write: until then, writes go to local storage alone
DEFAULT_CAPACITY = 50000
LEGACY_KEY_PREFIX = "logs:"  # the first format: one value holding a whole region's log


def _encode(entry):
    """The stored record of an entry: its text in the download file."""
    return log_chunks.as_record(javascript.JSON.stringify(entry, None, 4))


def _decode(text):
    return javascript.JSON.parse(text)


def _remove(keys):
    def done(error):
        if error:
            print("log chunks not removed:", error)
    storage.remove("local", keys, done)


class LogStore:
    def __init__(self, config):
        self.logger_id = f"{clock.now_ms()}-background"
        self._config = config
        self._regions = {}     # region key -> ChunkedLog, or None while it is being read from storage
        self._backlog = {}     # region key -> entries that arrived while it was being read
        self._persist_handle = None
        self._writing = 0      # storage writes in flight
        self._reading = 0      # storage reads in flight (regions being restored)
        self._flush_waiters = []
        self._archive_retry_at = 0  # until then the archive is not asked (it refused a write)
        self._exports = ExportHold()

    def _capacity(self):
        return self._config.logs["maxEntriesPerRegion"] if self._config else DEFAULT_CAPACITY

    # loading ----------------------------------------------------------------------------------------------
    def load(self, on_done):
        """Reads the configured regions' logs (meta records and open chunks only), then calls on_done()."""
        keys = [] if self._config is None else list(self._config.region_keys)
        self._read(keys, on_done)

    def _read(self, regions, on_done=None):
        for region in regions:
            self._regions[region] = None
        if not regions:
            if on_done is not None:
                on_done()
            return
        self._reading += 1

        def got_meta(items, error):
            tails = {}
            for region in regions:
                meta = items.get(log_chunks.meta_key(region))
                if meta is not None and log_chunks.meta_problem(meta) is None:
                    tails[region] = (meta, log_chunks.restore_keys(region, meta))
                else:
                    if meta is not None:
                        print(f"log of {region} not restored:", log_chunks.meta_problem(meta))
                    tails[region] = (None, [])
            wanted = [key for _, keys in tails.values() for key in keys]
            storage.get("local", wanted, lambda chunks, error: got_tails(tails, chunks))

        def got_tails(tails, chunks):
            legacy = []
            for region in regions:
                meta, _ = tails[region]
                log = None
                if meta is not None:
                    try:
                        log = log_chunks.ChunkedLog.restore(region, meta, chunks, _encode, _decode)
                    except StateError as problem:
                        print(f"log of {region} not restored:", str(problem))
                if log is None:
                    log = log_chunks.ChunkedLog(region, self._capacity(), _encode)
                    legacy.append(LEGACY_KEY_PREFIX + region)
                else:
                    log.resize(self._capacity())
                    # chunks trimmed while a download held their deletion, when the background stopped meanwhile
                    log_archive.delete_before(region, log.first)
                if region in self._regions:  # still configured
                    self._regions[region] = log
                    backlog = self._backlog.pop(region, None)
                    if backlog:
                        log.add(backlog)
                    if log.pending:
                        self._schedule()
            if legacy:
                _remove(legacy)
            self._reading -= 1
            if self._flush_waiters:
                self._persist()
            if on_done is not None:
                on_done()

        storage.get("local", [log_chunks.meta_key(region) for region in regions], got_meta)

    def configure(self, config):
        """A new configuration: kept logs take the new capacity; a region that appears is read from storage
        (it may have been configured before); regions that go stay stored."""
        self._config = config
        if config is None:
            return
        fresh = []
        for region in config.region_keys:
            if region in self._regions:
                current = self._regions[region]
                if current is not None:
                    current.resize(self._capacity())
                    if current.pending:
                        self._schedule()
            else:
                fresh.append(region)
        for region in list(self._regions):
            if region not in config.region_keys:
                del self._regions[region]
                self._backlog.pop(region, None)
        self._read(fresh)

    # appending -------------------------------------------------------------------------------------------
    def region(self, region):
        """The region's ChunkedLog (None if the region is not configured or still being read)."""
        return self._regions.get(region)

    def add(self, region, entries):
        if region not in self._regions:
            return
        log = self._regions[region]
        if log is None:
            self._backlog.setdefault(region, []).extend(entries)
        elif log.add(entries):
            self._schedule()

    def log(self, region, level, text):
        """An entry of the background's own."""
        self.add(region, [logs.make_entry(level, text, clock.now_ms(), self.logger_id)])

    # persisting ------------------------------------------------------------------------------------------
    def _schedule(self):
        if self._persist_handle is None and self._writing == 0:
            self._persist_handle = clock.call_later(PERSIST_DELAY_MS, self._persist)

    def _persist(self):
        clock.cancel(self._persist_handle)
        self._persist_handle = None
        if self._writing:
            return  # the write in flight takes the rest when it completes
        now = clock.now_ms()
        retry_archive = now >= self._archive_retry_at
        taken = [(log, changes) for log, changes in
                 ((log, log.take_changes(retry_archive)) for log in self._regions.values() if log is not None)
                 if changes is not None]
        if not taken:
            self._writes_done()
            return
        self._writing += 1
        archive = [(log.region, index, text) for log, changes in taken for index, text in changes["archive"].items()]

        def archived(error):
            if error:
                print("logs not archived (local storage takes them meanwhile):", error)
                self._archive_retry_at = clock.now_ms() + ARCHIVE_RETRY_MS
                clock.call_later(ARCHIVE_RETRY_MS, self._retry_archive)
            write_local(not error)

        def write_local(archived_ok):
            parts = [(log, changes, changes if archived_ok else changes["fallback"]) for log, changes in taken]
            local = {key: value for _, _, part in parts for key, value in part["local"].items()}

            def written(error):
                self._writing -= 1
                if error:
                    print("logs not persisted:", error)
                    for log, changes, _ in parts:
                        log.put_back(changes, archived_ok)
                    self._persist_handle = clock.call_later(RETRY_MS, self._persist)
                    self._release_flush_waiters()  # a download gets what is stored; nothing is dropped from memory
                    return
                for log, changes, _ in parts:
                    log.written(changes, archived_ok)
                self._delete([key for _, _, part in parts for key in part["local_removed"]],
                             [(log.region, index) for log, changes, _ in parts for index in changes["archive_removed"]])
                if any(log is not None and log.pending for log in self._regions.values()):
                    self._persist()
                else:
                    self._writes_done()
            storage.set_items("local", local, written)
        if archive and retry_archive:
            log_archive.put(archive, archived)
        else:
            write_local(not archive)

    def _retry_archive(self):
        if any(log is not None and log.awaiting_archive for log in self._regions.values()):
            self._schedule()

    def _delete(self, local_keys, archived_chunks):
        """Deletes now what no download in progress may still read (the rest when the last one ends)."""
        local_keys, archived_chunks = self._exports.removals(local_keys, archived_chunks, clock.now_ms())
        if local_keys:
            _remove(local_keys)
        if archived_chunks:
            log_archive.delete(archived_chunks)

    def _writes_done(self):
        if self._writing == 0 and self._reading == 0 and self._persist_handle is None:
            self._release_flush_waiters()

    def _release_flush_waiters(self):
        waiters, self._flush_waiters = self._flush_waiters, []
        for waiter in waiters:
            waiter()

    def flush(self, on_done):
        """Writes what is pending now; on_done() once storage holds every entry added so far, regions being
        read included (storage calls complete in order, so a later read sees them)."""
        self._flush_waiters.append(on_done)
        self._persist()

    def begin_export(self):
        """A download starts reading (after flush()): returns its id for end_export(); meanwhile nothing it may
        read is deleted."""
        return self._exports.begin(clock.now_ms())

    def end_export(self, export_id):
        """The download has read everything: what was held back for it is deleted (if no other download reads)."""
        local_keys, archived_chunks = self._exports.end(export_id, clock.now_ms())
        self._delete(local_keys, archived_chunks)

    def export_plan(self, region):
        """What a download of the region reads (core.log_chunks.ChunkedLog.export_plan), or None if the region is
        not configured or not read yet. Call after flush()."""
        log = self._regions.get(region)
        return None if log is None else log.export_plan()
