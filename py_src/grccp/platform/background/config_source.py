"""The background's configuration: the local configuration (storage.local "config") with the enterprise policy
(storage.managed) over it (core.effective_config), read at start-up and followed as either changes. Managed
storage can take seconds to answer (Chromium loads policies late): start-up goes on with what is known after
MANAGED_WAIT_MS, and the policy applies whenever it arrives."""
from grccp.core.effective_config import effective_config
from grccp.platform.shared import clock, storage

MANAGED_WAIT_MS = 300


class ConfigSource:
    def __init__(self, on_applied, on_changed):
        """on_applied() after every computation of the configuration in force (start-up included);
        on_changed(previous Config or None) after a change of either side."""
        self._on_applied = on_applied
        self._on_changed = on_changed
        self._stored_local = None  # the local configuration as storage holds it
        self._policy = None        # the enterprise policy, or None
        self.settings = effective_config(None, None, allow_empty=True)  # core.effective_config.ConfigState

    def listen(self):
        """Follows changes of either side (registered at start-up, so the browser wakes us for them)."""
        storage.on_changed(self._on_storage_changed)

    def load(self, on_loaded):
        """Reads both sides; on_loaded() once the configuration in force is known."""
        started = [False]

        def proceed():
            if not started[0]:
                started[0] = True
                storage.get("local", ["config"], got_local)

        def got_managed(managed, error):
            managed = None if error else (managed or None)
            if started[0]:
                if managed != self._policy:
                    self._changed(managed)
                return
            self._policy = managed
            proceed()

        def got_local(items, error):
            self._stored_local = items.get("config")
            self._apply()
            on_loaded()

        storage.get_all("managed", got_managed)
        clock.call_later(MANAGED_WAIT_MS, proceed)

    def _apply(self):
        self.settings = effective_config(self._stored_local, self._policy, allow_empty=True)
        if self.settings.errors:
            print("configuration refused:", "; ".join(str(error) for error in self.settings.errors))
        self._on_applied()

    def _on_storage_changed(self, area, changes):
        if area == "local" and "config" in changes:
            self._stored_local = changes["config"]
            self._changed(self._policy)
        elif area == "managed":
            storage.get_all("managed", lambda managed, error: self._changed(managed))

    def _changed(self, managed):
        self._policy = managed or None
        previous = self.settings.config
        self._apply()
        self._on_changed(previous)
