"""Per-region CCP logs in the Streams format (amazon-connect-streams LogEntry): entries of the extension's own,
intake of entries the CCP relays, a bounded ring buffer per region, and the download format of
`connect.getLog().download()` (a JSON array of entries, 4-space indent, ISO-8601 UTC times with ms).

Entries are plain dicts whose keys are already in Streams' order and whose `time` is already ISO text, so
that an export of 50,000 entries is a filter over a list, not a conversion."""

from .errors import ProtocolError, StateError
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
LOG_FORMAT_VERSION = 1


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


def _canonical(entry, line):
    """A copy of `entry` with Streams' key order and the given line number."""
    ordered = {key: entry[key] for key in ENTRY_KEYS if key in entry}
    ordered["line"] = line
    return ordered


def _identity(entry):
    return (entry["loggerId"], entry["time"], entry["level"], entry["text"])


class RegionLog:
    """One region's entries, oldest first, at most `capacity` (the oldest are dropped first). Appends are
    O(1); entries that repeat a recent one (same logger, time, level, text) are dropped."""

    __slots__ = ("capacity", "next_line", "_items", "_start", "_recent", "_recent_ring", "_recent_at")

    def __init__(self, capacity, entries=(), next_line=0):
        if not is_count(capacity) or capacity < 1:
            raise ValueError("capacity must be a positive integer")
        self.capacity = capacity
        self.next_line = next_line
        self._items = []
        self._start = 0
        self._recent = set()
        self._recent_ring = [None] * RECENT_KEYS
        self._recent_at = 0
        self._items = list(entries)[-capacity:]
        for entry in self._items[-RECENT_KEYS:]:
            self._remember(_identity(entry))

    def __len__(self):
        return len(self._items)

    def _remember(self, identity):
        forgotten = self._recent_ring[self._recent_at]
        if forgotten is not None:
            self._recent.discard(forgotten)
        self._recent_ring[self._recent_at] = identity
        self._recent_at = (self._recent_at + 1) % RECENT_KEYS
        self._recent.add(identity)

    def add(self, entries):
        """Stores valid entries (see entry_problem) in order, numbering lines as a Streams logger does (only
        entries at INFO or above get a number). Returns how many were stored (duplicates are not)."""
        stored = 0
        for entry in entries:
            identity = _identity(entry)
            if identity in self._recent:
                continue
            self._remember(identity)
            line = 0
            if level_passes(entry["level"]):
                line = self.next_line
                self.next_line += 1
            entry = _canonical(entry, line)
            if len(self._items) < self.capacity:
                self._items.append(entry)
            else:
                self._items[self._start] = entry
                self._start = (self._start + 1) % self.capacity
            stored += 1
        return stored

    def entries(self):
        """The stored entries, oldest first (a new list of the stored dicts: do not modify them)."""
        return self._items[self._start:] + self._items[:self._start]

    def resized(self, capacity):
        """A RegionLog with another capacity keeping the newest entries (for a changed configuration)."""
        return RegionLog(capacity, self.entries(), self.next_line)

    def to_dict(self):
        return {"version": LOG_FORMAT_VERSION, "capacity": self.capacity, "nextLine": self.next_line,
                "entries": self.entries()}

    @classmethod
    def from_dict(cls, data):
        """The RegionLog of to_dict() output; StateError if it is not one. The newest RECENT_KEYS entries (which
        seed duplicate detection) are checked in full, older ones only for what a download needs (an object
        with a string level): checking 50,000 entries in full would take seconds under Brython, and the
        format is versioned."""
        problem = field_problem(data, {"version": required(lambda value: value == LOG_FORMAT_VERSION),
                                       "capacity": required(is_count), "nextLine": required(is_count),
                                       "entries": required(is_list)})
        if problem is None and data["capacity"] < 1:
            problem = "capacity is not positive"
        if problem is None:
            entries = data["entries"]
            newest = max(0, len(entries) - RECENT_KEYS)
            for index, entry in enumerate(entries):
                if index >= newest:
                    entry_error = entry_problem(entry)
                elif not (isinstance(entry, dict) and isinstance(entry.get("level"), str)):
                    entry_error = "has no level"
                else:
                    continue
                if entry_error is not None:
                    problem = f"entry {index} {entry_error}"
                    break
        if problem is not None:
            raise StateError(f"stored log: {problem}")
        return cls(data["capacity"], data["entries"], data["nextLine"])


def export_entries(entries, filter_by_level):
    """The entries a download contains, in order: all of them, or with filter_by_level only those at INFO or
    above (TRACE, DEBUG, TEST and unknown levels dropped). The caller writes them as
    JSON.stringify(entries, undefined, 4)."""
    if not filter_by_level:
        return list(entries)
    return [entry for entry in entries if level_passes(entry["level"])]


def log_file_name(region_key, log_name=DEFAULT_LOG_NAME):
    """"<region key>-<log name>.txt", as connect-streams-dr's downloadLogs names each region's file."""
    return f"{region_key}-{log_name}.txt"
