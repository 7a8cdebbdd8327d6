"""The background's configuration: the local configuration (storage.local "config") with the enterprise policy
(storage.managed) over it (core.effective_config), read at start-up and followed as either changes.

The policy is in force from the first page: managed storage can take seconds to answer (Chromium loads policies
some seconds after start-up and holds the reads until then, or until an extension page reads them), so start-up
goes on after MANAGED_WAIT_MS with the policy read last time (kept in storage.local, POLICY_KEY), and the policy
read now applies, and is kept, whenever it arrives. A user who edits the kept copy changes the configuration only
until the browser's own answer comes (the same user could change the extension itself)."""
from grccp.core.effective_config import effective_config
from grccp.platform.shared import clock, storage
from grccp.platform.shared.public_suffix_list import public_suffixes

MANAGED_WAIT_MS = 300
POLICY_KEY = "lastPolicy"  # in storage.local: the enterprise policy last read (absent: none)


class ConfigSource:
    def __init__(self, on_applied, on_changed):
        """on_applied() after every computation of the configuration in force (start-up included);
        on_changed(previous Config or None) after a change of either side."""
        self._on_applied = on_applied
        self._on_changed = on_changed
        self._stored_local = None  # the local configuration as storage holds it
        self._policy = None        # the enterprise policy in force, or None
        self._kept_policy = None   # the policy as storage.local keeps it
        # core.effective_config.ConfigState
        self.settings = effective_config(None, None, public_suffixes(), allow_empty=True)

    def listen(self):
        """Follows changes of either side (registered at start-up, so the browser wakes us for them)."""
        storage.on_changed(self._on_storage_changed)

    def load(self, on_loaded):
        """Reads both sides; on_loaded() once the configuration in force is known: once the local side is read
        and the policy has answered or MANAGED_WAIT_MS have passed (then with the policy kept from last time)."""
        progress = {"local": False, "managed": False, "waited": False, "started": False}

        def proceed():
            if progress["local"] and progress["waited"] and not progress["started"]:
                progress["started"] = True
                self._apply()
                on_loaded()

        def got_local(items, error):
            self._stored_local = items.get("config")
            if not progress["managed"]:  # else the browser's answer is in force, and kept
                self._kept_policy = items.get(POLICY_KEY)
                self._policy = self._kept_policy or None
            progress["local"] = True
            proceed()

        def got_managed(managed, error):
            managed = None if error else (managed or None)
            self._keep(managed)
            if progress["started"]:
                if managed != self._policy:
                    self._changed(managed)
                return
            self._policy = managed
            progress["managed"] = True
            waited()

        def waited():
            progress["waited"] = True
            proceed()

        storage.get("local", ["config", POLICY_KEY], got_local)
        storage.get_all("managed", got_managed)
        clock.call_later(MANAGED_WAIT_MS, waited)

    def _keep(self, managed):
        """The policy the browser answered, kept for the next start."""
        if managed != self._kept_policy:
            self._kept_policy = managed
            if managed is None:
                storage.remove("local", [POLICY_KEY])
            else:
                storage.set_items("local", {POLICY_KEY: managed})

    def _apply(self):
        self.settings = effective_config(self._stored_local, self._policy, public_suffixes(), allow_empty=True)
        if self.settings.errors:
            print("configuration refused:", "; ".join(str(error) for error in self.settings.errors))
        self._on_applied()

    def _on_storage_changed(self, area, changes):
        if area == "local" and "config" in changes:
            self._stored_local = changes["config"]
            self._changed(self._policy)
        elif area == "managed":
            def got(managed, error):
                managed = None if error else (managed or None)
                self._keep(managed)
                self._changed(managed)
            storage.get_all("managed", got)

    def _changed(self, managed):
        self._policy = managed or None
        previous = self.settings.config
        self._apply()
        self._on_changed(previous)
