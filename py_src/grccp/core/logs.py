"""CCP log entries in the Streams format (amazon-connect-streams LogEntry): entries of the extension's own,
intake of entries the CCP relays, the check of a stored entry, the level filter of
`connect.getLog().download()` and the name of a region's download file. Storage is log_chunks.ChunkedLog.

Entries are plain dicts whose keys are already in Streams' order (ENTRY_KEYS) and whose `time` is already ISO
text (UTC with ms), so that storing one for a download is a single JSON.stringify, not a conversion."""

from .errors import ProtocolError
from .shapes import is_count, is_number, is_str
from .timefmt import format_iso_ms, iso_text

LEVEL_ORDER = {"TEST": 0, "TRACE": 10, "DEBUG": 20, "INFO": 30, "LOG": 40, "WARN": 50, "ERROR": 100,
               "CRITICAL": 200}
# The Streams logger's level: entries below it get no line number, and filterByLogLevel drops them.
LOGGER_LEVEL = LEVEL_ORDER["INFO"]
_PASSING_LEVELS = frozenset(level for level, order in LEVEL_ORDER.items() if order >= LOGGER_LEVEL)
CCP_COMPONENT = "ccp"
HOST_CONTEXT_LAYER = "CRM"  # the extension's content script is the CRM-layer host of both CCPs
DEFAULT_LOG_NAME = "agent-log"
# How many recent entries are remembered to drop duplicates: every tab receives the same worker entries.
RECENT_KEYS = 4096


def level_passes(level):
    """Whether filterByLogLevel keeps an entry of `level`: known and at least INFO (a membership test: every
    stored entry asks, and under Brython dict.get() costs several times more)."""
    return isinstance(level, str) and level in _PASSING_LEVELS


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


def parse_relayed_entry(data):
    """The fields a host keeps of a `log` message's data (a worker or CCP entry), validated:
    {level, text, time (canonical ISO text; None = not given), loggerId, tabId, contextLayer, and exception and
    objects if present}. Other members (component, line, agentResourceId) are recomputed by the receiving host.
    ProtocolError if malformed. Written out by hand, each field read once: log lines arrive by the thousand,
    and under Brython a shapes table (or .get()) costs several times more."""
    if not isinstance(data, dict):
        raise ProtocolError("log entry is not an object")
    level, text = data["level"] if "level" in data else None, data["text"] if "text" in data else None
    if not (isinstance(level, str) and isinstance(text, str)):
        raise ProtocolError('log entry has no "level" or "text" text')
    relayed = {"level": level, "text": text, "time": None, "loggerId": None, "tabId": None,
               "contextLayer": HOST_CONTEXT_LAYER}
    if "time" in data and data["time"] is not None:
        relayed["time"] = iso_text(data["time"])
        if relayed["time"] is None:
            raise ProtocolError('log entry has a wrong "time"')
    if "loggerId" in data:
        relayed["loggerId"] = data["loggerId"]
        if not (relayed["loggerId"] is None or isinstance(relayed["loggerId"], str)):
            raise ProtocolError('log entry has a wrong "loggerId"')
    if "tabId" in data:
        if not _is_tab_id(data["tabId"]):
            raise ProtocolError('log entry has a wrong "tabId"')
        relayed["tabId"] = data["tabId"] or None  # Streams keeps `tabId || null`
    if "contextLayer" in data:
        if not (data["contextLayer"] is None or isinstance(data["contextLayer"], str)):
            raise ProtocolError('log entry has a wrong "contextLayer"')
        relayed["contextLayer"] = data["contextLayer"] or HOST_CONTEXT_LAYER
    # Streams copies these as they come, so an entry without them is downloaded without them.
    if "exception" in data:
        if not (data["exception"] is None or isinstance(data["exception"], dict)):
            raise ProtocolError('log entry has a wrong "exception"')
        relayed["exception"] = data["exception"]
    if "objects" in data:
        if not (data["objects"] is None or isinstance(data["objects"], list)):
            raise ProtocolError('log entry has wrong "objects"')
        relayed["objects"] = data["objects"]
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
        "time": format_iso_ms(now_ms) if relayed["time"] is None else relayed["time"],
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


def intake_relayed_blocks(blocks, own_logger_id, limit):
    """The entries to store for the lines of a cs:relayed-logs message, in order, and the problem of each line
    dropped as malformed: (entries, problems). A tab relays the CCPs' lines unread (on the page's main thread,
    which the CCP frames may share, converting them would delay their heartbeat), so this is their check.
    `blocks`: [(lines, received_ms, agent_resource_id)], `lines` as JSON-parsed by the receiver (None if the
    text was not JSON), each a CCP `log` message's data; `received_ms` is when the tab received them (the time
    of a line without one), `agent_resource_id` the agent's id in that region then. At most `limit` lines are
    taken; the tab's own lines coming back (`own_logger_id`) are left out, as no problem."""
    entries, problems, room = [], [], limit
    for lines, received_ms, agent_resource_id in blocks:
        if not isinstance(lines, list):
            problems.append("relayed log lines are not a JSON array")
            continue
        if len(lines) > room:
            problems.append(f"{len(lines) - room} relayed log lines over the limit of {limit} a message")
            lines = lines[:room]
        room -= len(lines)
        for data in lines:
            try:
                relayed = parse_relayed_entry(data)
            except ProtocolError as problem:
                problems.append(str(problem))
                continue
            entry = intake_relayed(relayed, own_logger_id, agent_resource_id, received_ms)
            if entry is not None:
                entries.append(entry)
    return entries, problems


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
    """What is wrong with a stored/transferred entry (a message), or None. Written out by hand for speed: under
    Brython, dict iteration, .get() and arithmetic on booleans cost microseconds each, and every entry a content
    script sends is checked on arrival. Unknown fields are found by counting the known ones."""
    if not isinstance(entry, dict):
        return "is not an object"
    try:
        component, level, text, time = entry["component"], entry["level"], entry["text"], entry["time"]
        line, agent_resource_id, logger_id = entry["line"], entry["agentResourceId"], entry["loggerId"]
    except KeyError as missing:
        return f"has no {missing}"
    if not (isinstance(component, str) and isinstance(level, str) and isinstance(text, str)
            and _is_iso_text(time) and is_count(line)):
        return "has a wrong component, level, text, time or line"
    if not ((agent_resource_id is None or isinstance(agent_resource_id, str))
            and (logger_id is None or isinstance(logger_id, str))):
        return "has a wrong agentResourceId or loggerId"
    known = len(_REQUIRED_ENTRY_KEYS)
    if "tabId" in entry:
        known += 1
        if not _is_tab_id(entry["tabId"]):
            return "has a wrong tabId"
    if "exception" in entry:
        known += 1
        if not (entry["exception"] is None or isinstance(entry["exception"], dict)):
            return "has a wrong exception"
    if "objects" in entry:
        known += 1
        if not (entry["objects"] is None or isinstance(entry["objects"], list)):
            return "has wrong objects"
    if "contextLayer" in entry:
        known += 1
        if not isinstance(entry["contextLayer"], str):
            return "has a wrong contextLayer"
    if len(entry) != known:
        unknown = [key for key in entry if key not in _ENTRY_KEY_SET]
        return f"has an unknown field {unknown[0]!r}"
    return None


def in_streams_order(entry):
    """A copy of a valid entry (entry_problem is None) with its keys in Streams' order (ENTRY_KEYS), the order a
    stored entry must have (log_chunks.ChunkedLog.add): a content script's entries come in whatever order it
    wrote them."""
    return {key: entry[key] for key in ENTRY_KEYS if key in entry}


def log_file_name(region_key, log_name=DEFAULT_LOG_NAME):
    """"<region key>-<log name>.txt", as connect-streams-dr's downloadLogs names each region's file."""
    return f"{region_key}-{log_name}.txt"
