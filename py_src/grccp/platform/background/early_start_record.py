"""Publishes the early start's record (core.early_start_record) in storage.local whenever it changes: the
configuration in force, the active region or the switch count. Written only when it differs from the one this
background last wrote (once after every start of the service worker / event page, then on changes)."""
from grccp.core.early_start_record import RECORD_KEY, early_start_record
from grccp.platform.shared import storage

_published = {"record": None, "written": False}


def publish(settings, state):
    """The record of `settings` (core.effective_config.ConfigState) and `state` (core.global_state.GlobalState: its
    active region and switch count; None: no state) in storage; removed when there is none."""
    record = early_start_record(settings, None if state is None else state.active, 0 if state is None else state.epoch)
    if _published["written"] and record == _published["record"]:
        return
    _published["record"], _published["written"] = record, True

    def done(error):
        if error:
            print("the early start's record could not be written:", error)
    if record is None:
        storage.remove("local", [RECORD_KEY], done)
    else:
        storage.set_items("local", {RECORD_KEY: record}, done)
