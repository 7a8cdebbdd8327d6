"""CCP log entries in the Streams format (amazon-connect-streams LogEntry): entries of the extension's own,
intake of entries the CCP relays, the check of a stored entry, the level filter of
`connect.getLog().download()` and the name of a region's download file. Storage is log_chunks.ChunkedLog.

Entries are plain dicts whose keys are already in Streams' order (ENTRY_KEYS) and whose `time` is already ISO
text (UTC with ms), so that storing one for a download is a single JSON.stringify, not a conversion."""

from .errors import ProtocolError
from .shapes import field_problem, is_count, is_dict, is_list, is_number, is_str, may, optional, required
from .timefmt import format_iso_ms, to_epoch_ms

LEVEL_ORDER = {"TEST": 0, "TRACE": 10, "DEBUG": 20, "INFO": 30, "LOG": 40, "WARN": 50, "ERROR": 100,
               "CRITICAL": 200}
# The Streams logger's level: entries below it get no line number, and filterByLogLevel drops them.
LOGGER_LEVEL = LEVEL_ORDER["INFO"]
CCP_COMPONENT = "ccp"
HOST_CONTEXT_LAYER = "CRM"  # the extension's content script is the CRM-layer host of both CCPs
DEFAULT_LOG_NAME = "agent-log"
# How many recent entries are remembered to drop duplicates: every tab receives the same worker entries.
RECENT_KEYS = 4096


def level_passes(level):
    """Whether filterByLogLevel keeps an entry of `level`: known and at least INFO."""
    return isinstance(level, str) and LEVEL_ORDER.get(level, -1) >= LOGGER_LEVEL


def make_entry(level, text, now_ms, logger_id, agent_resource_id=None, objects=None, exception=None,
               component=CCP_COMPONENT):
    """A log entry of the extension itself (as a Streams host writes one: no tabId). `line` is assigned
    when the entry is stored."""
    return {
        "component": component,
        "level": level,
        "text": text,
        "time": format_iso_ms(now_ms),
        "exception": exception,
        "objects": [] if objects is None else objects,
        "line": 0,
        "agentResourceId": agent_resource_id,
        "loggerId": logger_id,
        "contextLayer": HOST_CONTEXT_LAYER,
    }


def _is_tab_id(value):
    return value is None or is_str(value) or is_number(value)


_RELAYED_FIELDS = {
    "level": required(is_str),
    "text": required(is_str),
    "time": may(lambda value: value is None or to_epoch_ms(value) is not None),
    "loggerId": may(optional(is_str)),
    "tabId": may(_is_tab_id),
    "exception": may(optional(is_dict)),
    "objects": may(optional(is_list)),
    "contextLayer": may(optional(is_str)),
}


def parse_relayed_entry(data):
    """The fields a host keeps of a `log` message's data (a worker or CCP entry), validated:
    {level, text, timeMs (None = not given), loggerId, tabId, contextLayer, and exception and objects if
    present}. Other members (component, line, agentResourceId) are recomputed by the receiving host.
    ProtocolError if malformed."""
    problem = field_problem(data, _RELAYED_FIELDS, allow_extra=True)
    if problem is not None:
        raise ProtocolError(f"log entry {problem}")
    time = data.get("time")
    relayed = {
        "level": data["level"],
        "text": data["text"],
        "timeMs": None if time is None else to_epoch_ms(time),
        "loggerId": data.get("loggerId"),
        "tabId": data.get("tabId") or None,  # Streams keeps `tabId || null`
        "contextLayer": data.get("contextLayer") or HOST_CONTEXT_LAYER,
    }
    # Streams copies these as they come, so an entry without them is downloaded without them.
    for name in ("exception", "objects"):
        if name in data:
            relayed[name] = data[name]
    return relayed


def intake_relayed(relayed, own_logger_id, agent_resource_id, now_ms):
    """The entry to store for a relayed one (from parse_relayed_entry), or None if it is the host's own line
    coming back (hosts' lines are echoed to every host). As Streams does: component "ccp", the receiving
    host's agentResourceId, tabId null when absent, a fresh line number on storage."""
    if relayed["loggerId"] is not None and relayed["loggerId"] == own_logger_id:
        return None
    entry = {
        "component": CCP_COMPONENT,
        "level": relayed["level"],
        "text": relayed["text"],
        "time": format_iso_ms(now_ms if relayed["timeMs"] is None else relayed["timeMs"]),
        "tabId": relayed["tabId"],
    }
    for name in ("exception", "objects"):
        if name in relayed:
            entry[name] = relayed[name]
    entry["line"] = 0
    entry["agentResourceId"] = agent_resource_id
    entry["loggerId"] = relayed["loggerId"]
    entry["contextLayer"] = relayed["contextLayer"]
    return entry


def _is_iso_text(value):
    """Cheap shape check of format_iso_ms output (restores may check 100,000 of these)."""
    return (isinstance(value, str) and len(value) == 24 and value[4] == "-" and value[10] == "T"
            and value[19] == "." and value[23] == "Z")


# Stored entries: these keys in this order. As in Streams downloads, tabId and contextLayer may be absent,
# and so may exception and objects of a relayed entry that came without them.
ENTRY_KEYS = ("component", "level", "text", "time", "tabId", "exception", "objects", "line", "agentResourceId",
              "loggerId", "contextLayer")
_ENTRY_KEY_SET = frozenset(ENTRY_KEYS)
_REQUIRED_ENTRY_KEYS = ("component", "level", "text", "time", "line", "agentResourceId", "loggerId")


def entry_problem(entry):
    """What is wrong with a stored/transferred entry (a message), or None. Written out by hand rather than as a
    shapes table: under Brython it is three times faster, and restores check thousands of entries."""
    if not isinstance(entry, dict):
        return "is not an object"
    for key in entry:
        if key not in _ENTRY_KEY_SET:
            return f"has an unknown field {key!r}"
    for key in _REQUIRED_ENTRY_KEYS:
        if key not in entry:
            return f'has no "{key}"'
    if not (isinstance(entry["component"], str) and isinstance(entry["level"], str)
            and isinstance(entry["text"], str) and _is_iso_text(entry["time"])):
        return "has a wrong component, level, text or time"
    if not (is_count(entry["line"]) and (entry["agentResourceId"] is None or isinstance(entry["agentResourceId"], str))
            and (entry["loggerId"] is None or isinstance(entry["loggerId"], str))):
        return "has a wrong line, agentResourceId or loggerId"
    if not (_is_tab_id(entry.get("tabId")) and (entry.get("exception") is None or isinstance(entry["exception"], dict))
            and (entry.get("objects") is None or isinstance(entry["objects"], list))
            and isinstance(entry.get("contextLayer", ""), str)):
        return "has a wrong tabId, exception, objects or contextLayer"
    return None


def log_file_name(region_key, log_name=DEFAULT_LOG_NAME):
    """"<region key>-<log name>.txt", as connect-streams-dr's downloadLogs names each region's file."""
    return f"{region_key}-{log_name}.txt"
