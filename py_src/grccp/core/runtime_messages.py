"""Runtime messages between the extension's own contexts: one table of types, named by sender
("cs:" content script, "bg:" background, "popup:", "options:"), each with the shape its receiver checks.
A message is a plain dict {"type": <type>, <field>: <value>, ...}; unknown types, missing or wrong fields and
unknown fields are refused with MessageError (the receiver logs and drops the message)."""

from .agent_state_plan import BASELINE_FIELDS, TAB_OUTCOMES, WANTED_FIELDS
from .errors import MessageError
from .health import HEALTH_STATES
from .logs import entry_problem
from .shapes import (anything, conforms, field_problem, is_bool, is_count, is_dict, is_region_text, is_str, is_text,
                     list_of, may, optional, required, str_enum)
from .snapshot import summary_problem

# The most entries one cs:log-batch (or lines one cs:relayed-logs) may carry (the content script sends a batch about
# every second), and the longest text of one block of relayed lines.
MAX_LOG_BATCH = 1000
MAX_RELAYED_TEXT = 8_000_000


_region = required(is_region_text)
_epoch = required(is_count)
# What a tab runs with: whether its page is allowlisted (the browser's word for its URL), the configuration in
# force (only for an allowlisted page), the active region, the switch count and the failover in flight
# (core.global_state.GlobalState.flight).
_failover = required(optional(conforms({"target": _region, "pending": required(is_bool)})))
_configuration = {"allowed": required(is_bool), "config": required(optional(is_dict)),
                  "activeRegion": required(optional(is_region_text)), "epoch": _epoch, "failover": _failover}
_field_error = {"path": required(is_str), "rule": required(is_str), "message": required(is_str)}
_field_errors = required(list_of(conforms(_field_error)))
_finding = {"check": required(is_str), "region": required(optional(is_region_text)), "ok": required(is_bool),
            "message": required(is_text)}
# One region's log as stored (core.log_chunks.ChunkedLog.export_plan): where each closed chunk is, oldest first (in
# the archive, under a local key, or its text here), the open chunk's records, records to skip at the start, records
# in all.
_CHUNK_PLACES = ("archived", "key", "text")
_closed_chunk_fields = {"index": required(is_count), "archived": may(lambda value: value is True),
                        "key": may(is_text), "text": may(is_str)}


def _is_closed_chunk(value):
    return conforms(_closed_chunk_fields)(value) and sum(1 for place in _CHUNK_PLACES if place in value) == 1


_log_file = {"region": _region, "fileName": required(is_text), "chunks": required(list_of(_is_closed_chunk, 100000)),
             "open": required(is_str), "skip": required(is_count), "count": required(is_count)}

# What page code on a page opted in to the page API may ask the extension for (core.page_relay turns them into
# requests): connect.globalResiliency.forceFailover(), globalConnect.core.downloadLogs(options).
FORCE_FAILOVER_REQUEST = "force-failover"
DOWNLOAD_LOGS_REQUEST = "download-logs"
PAGE_REQUESTS = (FORCE_FAILOVER_REQUEST, DOWNLOAD_LOGS_REQUEST)
# Sent by a content script in a frame of the tab's page, not its top frame: its sender is heard by the tab's URL.
FROM_PAGE_FRAMES = ("cs:load-streams",)
# The time origin that names a top document (page_api/region_frame.js: String(performance.timeOrigin)).
MAX_DOCUMENT_NAME = 40

MESSAGE_TYPES = {
    # content script -> background
    "cs:hello": {"url": required(is_str)},
    "cs:region-state": {"region": _region, "epoch": _epoch},
    "cs:ccp-health": {"region": _region, "health": required(str_enum(HEALTH_STATES)),
                      "detail": may(optional(is_str))},
    "cs:agent-update": {"region": _region, "agent": required(lambda value: summary_problem(value) is None)},
    "cs:failover-detected": {"region": _region, "soft": required(optional(is_bool)), "epoch": _epoch},
    "cs:failover-pending": {"region": _region, "contactId": required(optional(is_str)),
                            "contactType": required(optional(is_text)), "epoch": _epoch},
    "cs:failover-initiated": {"region": _region, "epoch": _epoch},
    "cs:switch-complete": {"region": _region, "fromRegion": _region, "epoch": _epoch},
    # a CCP announced its AWS region (instanceRegion, as it said it) and the active region (a key, or null)
    "cs:region-announced": {"region": _region, "instanceRegion": _region, "activeRegion": required(optional(
        is_region_text)), "shown": _region, "epoch": _epoch},
    "cs:log-batch": {"region": _region,
                     "entries": required(list_of(lambda value: entry_problem(value) is None, MAX_LOG_BATCH))},
    # log lines a CCP relayed, as the tab received them: blocks of JSON text (each an array of `log` messages' data),
    # checked and converted here (core.logs.intake_relayed_blocks), not on the page's main thread
    "cs:relayed-logs": {"region": _region, "loggerId": required(is_text), "blocks": required(list_of(conforms({
        "lines": required(lambda value: is_str(value) and len(value) <= MAX_RELAYED_TEXT),
        "receivedMs": required(is_count), "agentResourceId": required(optional(is_str))}), MAX_LOG_BATCH))},
    "cs:need-login": {"region": _region},
    # the page is being left (closed, navigated away, or put in the back-forward cache)
    "cs:goodbye": {},
    # the page took the panel out of the document: it came back `returns` times so far (its CCPs reloaded each
    # time), or the tab gave up putting it back (core.panel_returns)
    "cs:panel-returned": {"returns": required(is_count), "gaveUp": required(is_bool)},
    # page code on a page opted in to the page API asked for something (PAGE_REQUESTS): decided by
    # the background (background/page_api_requests); a refusal is answered with bg:error
    "cs:page-request": {"request": required(str_enum(PAGE_REQUESTS)), "logName": may(optional(is_str)),
                        "filterByLogLevel": may(optional(is_bool))},
    # legacy DR's page API: a regional frame of an opted-in page (not its top frame: page_api/region_frame.js) asks
    # for Streams in its main world; answered with bg:streams-loaded once it is there, or bg:error
    "cs:load-streams": {"region": _region, "document": required(lambda value: is_text(value) and len(value) <=
                                                               MAX_DOCUMENT_NAME)},
    "bg:streams-loaded": {},
    # background -> content script
    "bg:welcome": _configuration,
    # the configuration in force changed: every open tab follows it (core.tab_config)
    "bg:config": _configuration,
    # `forced`: the switch was the agent's Switch now; a tab that follows it ends the old region's contacts
    "bg:region-changed": {"region": _region, "epoch": _epoch, "failover": _failover, "forced": required(is_bool)},
    # end the pending failover to `region` now (the popup's Switch now): sent to the tabs showing the active region
    "bg:switch-now": {"region": _region},
    # ask the region's CCP for the agent's snapshot with the tab's own api_request (the stuck-failover check);
    # answered with cs:contacts: the snapshot's summary, or why there is none
    "bg:check-contacts": {"region": _region},
    # the browser refuses to show the region's CCP in this tab's page: `detail` names the fix (framing_watch)
    "bg:framing-refused": {"region": _region, "detail": required(is_text)},
    "cs:contacts": {"region": _region, "agent": required(optional(lambda value: summary_problem(value) is None)),
                    "error": required(optional(is_str))},
    # set the agent's state kept across the failover in the region's CCP (core.agent_state_plan), unless it is
    # not the baseline any more (the agent's choice); answered with cs:agent-state: what the tab did, and why
    "bg:keep-agent-state": {"region": _region, "state": required(conforms(WANTED_FIELDS)),
                            "baseline": required(optional(conforms(BASELINE_FIELDS)))},
    "cs:agent-state": {"region": _region, "outcome": required(str_enum(TAB_OUTCOMES)),
                       "stateName": required(optional(is_str)), "error": required(optional(is_str))},
    # popup <-> background
    "popup:get-status": {},
    # (the options page sends it too, with its own log name and level filter; absent: the configuration's)
    "popup:download-logs": {"logName": may(optional(is_str)), "filterByLogLevel": may(optional(is_bool))},
    "bg:status": {"status": required(is_dict)},
    # the one sign-in window, opened (or focused) for `region` by the agent (the popup's "Sign in to <region>")
    "popup:sign-in": {"region": _region},
    # Switch now, confirmed in the popup for the pending failover to `region` (refused for any other one)
    "popup:switch-now": {"region": _region},
    "bg:switch-now-result": {"ok": required(is_bool), "error": required(optional(is_str))},
    # the administrator's manual failover to `region` (core.manual_failover), confirmed in the popup; answered with
    # whether the background switched, and if not why (the region already active: a no-op)
    "popup:manual-failover": {"region": _region},
    "bg:manual-failover-result": {"switched": required(is_bool), "message": required(is_str)},
    # the reply to popup:download-logs once every entry is in storage: what the page reads and saves
    "bg:log-export": {"files": required(list_of(conforms(_log_file), 8)), "filterByLogLevel": required(is_bool),
                      "exportId": required(is_count)},
    # the page has read every chunk of the export: what the background held back for it may go
    "popup:log-export-done": {"exportId": required(is_count)},
    # options <-> background
    "options:get-config": {},
    "options:save-config": {"config": required(anything)},
    "bg:config-state": {"local": required(optional(is_dict)), "managed": required(optional(is_dict)),
                        "managedFields": required(list_of(is_str)), "effective": required(optional(is_dict)),
                        "errors": _field_errors},
    "bg:save-result": {"ok": required(is_bool), "errors": _field_errors},
    # the configuration check (core.config_check.findings) of a configuration just saved, or of the one in force
    "options:check-config": {"config": may(anything)},
    "bg:config-check": {"findings": required(list_of(conforms(_finding), 400))},
    # any receiver -> sender, when a request could not be served
    "bg:error": {"error": required(is_str)},
}


def parse_reply(reply, error, expected):
    """The fields of the answer to a runtime message sent with a callback (reply, error), if it is of type
    `expected`; MessageError saying what went wrong otherwise: no answer, a malformed one, or another type (a
    bg:error's own text)."""
    if error or reply is None:
        raise MessageError(f"the background did not answer ({error or 'no reply'})")
    kind, fields = parse_message(reply)
    if kind != expected:
        raise MessageError(fields.get("error") or f"unexpected reply {kind}")
    return fields


def parse_message(obj):
    """(type, fields) of a received runtime message; MessageError if it is not one of MESSAGE_TYPES with the
    right shape. `fields` is a new dict without "type"."""
    if not isinstance(obj, dict):
        raise MessageError("runtime message is not an object")
    message_type = obj.get("type")
    table = MESSAGE_TYPES.get(message_type) if is_str(message_type) else None
    if table is None:
        raise MessageError(f"unknown runtime message type {message_type!r}"[:200])
    fields = {name: value for name, value in obj.items() if name != "type"}
    problem = field_problem(fields, table)
    if problem is not None:
        raise MessageError(f"{message_type}: {problem}"[:200])
    return message_type, fields


def make_message(message_type, **fields):
    """A message of `message_type` with `fields`, checked like parse_message checks it on arrival (so a
    sender's mistake shows up where it is made)."""
    message = dict(fields)
    message["type"] = message_type
    parse_message(message)
    return message
