"""The log lines a tab sends: its own entries (cs:log-batch, each checked on arrival by core.runtime_messages), and
the lines its CCPs relayed (cs:relayed-logs), which the tab sends unread — blocks of JSON text — so that converting
them never runs on the page's main thread, which the CCP frames may share: they are parsed, checked and converted
here (core.logs.intake_relayed_blocks). A malformed line is dropped and logged in its region's log, as a tab logs a
malformed CCP message."""
import javascript

from grccp.core import logs
from grccp.core.runtime_messages import MAX_LOG_BATCH


def _parsed(text):
    """The JSON text's value as plain Python data, or None if it is not JSON."""
    try:
        return javascript.JSON.parse(text)
    except Exception:  # noqa: BLE001 -- a SyntaxError from JS: not JSON
        return None


def take_batch(store, fields):
    """Stores the entries of a cs:log-batch message in its region's log, in Streams' key order."""
    store.add(fields["region"], [logs.in_streams_order(entry) for entry in fields["entries"]])


def take_relayed(store, fields):
    """Stores the entries of a cs:relayed-logs message's lines in its region's log (store: log_store.LogStore)."""
    region = fields["region"]
    entries, problems = logs.intake_relayed_blocks(
        [(_parsed(block["lines"]), block["receivedMs"], block["agentResourceId"]) for block in fields["blocks"]],
        fields["loggerId"], MAX_LOG_BATCH)
    store.add(region, entries)
    for problem in problems:
        store.log(region, "WARN", f"dropped a malformed message from the {region} CCP: {problem}")
