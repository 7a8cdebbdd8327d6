"""The background's per-region logs: bounded ring buffers (core.logs.RegionLog), persisted in local storage so
that a page reload, a background restart or a browser restart loses nothing that was kept. Writes are batched:
at most one per region every PERSIST_DELAY_MS."""
from grccp.core import logs
from grccp.core.errors import StateError

from . import clock, storage

PERSIST_DELAY_MS = 2000
DEFAULT_CAPACITY = 50000


def _key(region):
    return f"logs:{region}"


class LogStore:
    def __init__(self, config):
        self.logger_id = f"{clock.now_ms()}-background"
        self._config = config
        self._regions = {}
        self._dirty = set()
        self._persist_handle = None

    def _capacity(self):
        return self._config.logs["maxEntriesPerRegion"] if self._config else DEFAULT_CAPACITY

    def load(self, on_done):
        keys = [] if self._config is None else list(self._config.region_keys)

        def got(items, error):
            for region in keys:
                stored = items.get(_key(region))
                try:
                    restored = logs.RegionLog.from_dict(stored) if stored is not None else None
                except StateError as problem:
                    print(f"log of {region} not restored:", str(problem))
                    restored = None
                self._regions[region] = (restored.resized(self._capacity()) if restored
                                         else logs.RegionLog(self._capacity()))
            on_done()
        storage.get("local", [_key(region) for region in keys], got)

    def configure(self, config):
        """A new configuration: resize kept logs; regions that appear start empty (old ones stay stored)."""
        self._config = config
        if config is None:
            return
        for region in config.region_keys:
            current = self._regions.get(region)
            self._regions[region] = current.resized(self._capacity()) if current else logs.RegionLog(self._capacity())

    def region(self, region):
        return self._regions.get(region)

    def add(self, region, entries):
        log = self._regions.get(region)
        if log is not None and log.add(entries):
            self._dirty.add(region)
            self._schedule()

    def log(self, region, level, text):
        """An entry of the background's own."""
        self.add(region, [logs.make_entry(level, text, clock.now_ms(), self.logger_id)])

    def _schedule(self):
        if self._persist_handle is None:
            self._persist_handle = clock.call_later(PERSIST_DELAY_MS, self._persist)

    def _persist(self):
        self._persist_handle = None
        items = {_key(region): self._regions[region].to_dict() for region in self._dirty if region in self._regions}
        self._dirty = set()
        if items:
            storage.set_items("local", items)
