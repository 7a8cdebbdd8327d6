"""The CCP <-> host window protocol's shared part (ccp-protocol.md sections 1, 2 and 5): what the host posts to
a CCP iframe whatever the Global Resiliency protocol, and a validating parser for what a CCP iframe posts to its
host. Each protocol adds its own events and messages (legacy_dr). Messages are plain dicts {event, data} (the
platform layer posts them as structured-clone objects, never JSON strings); `data` is left out when a message has
none, as Streams leaves it undefined."""

from . import logs, snapshot
from .errors import ProtocolError
from .shapes import field_problem, is_bool, is_str, is_text, may, optional, required

# Host -> CCP
CONFIGURE = "configure"
SYNCHRONIZE = "synchronize"
OUTER_CONTEXT_INFO = "outer_context_info"
API_REQUEST = "api_request"

# CCP -> host, handled by the extension
ACKNOWLEDGE = "acknowledge"
AGENT_UPDATE = "agent::update"
LOG = "log"
AUTH_FAIL = "auth_fail"
TERMINATED = "terminated"
REQUEST_CONFIGURE = "request_configure"
# The answer to the host's own api_request, posted to the requesting window only (ccp-protocol 2)
API_RESPONSE = "api_response"

# CCP -> host, known but of no use to the extension (parse_ccp_message reports them as IGNORED).
IGNORED_CCP_EVENTS = (
    "update_connected_ccps", "master_response", "server_bound_internal_log", "api_metric",
    "client_metric", "click_stream_data", "access_denied", "cti_authorize_retries_exhausted", "media_device_response",
    "connection::ready_to_start_session", "agent::websocket_connection_lost", "agent::websocket_connection_gained",
    "webSocket::message", "webSocket::connection_lost", "webSocket::connection_gained", "mute",
    "contact::accepted", "contact::view", "configuration::configure",
)
HANDLED_CCP_EVENTS = (ACKNOWLEDGE, AGENT_UPDATE, LOG, AUTH_FAIL, TERMINATED, REQUEST_CONFIGURE, API_RESPONSE)
HOST_EVENTS = (CONFIGURE, SYNCHRONIZE, OUTER_CONTEXT_INFO, API_REQUEST)
# Every shared event name, for hostile-input tests (each protocol module lists its own).
ALL_EVENTS = HANDLED_CCP_EVENTS + IGNORED_CCP_EVENTS + HOST_EVENTS

# What parse_ccp_message returns as event for a well-formed message the extension does not act on; the
# payload is then the original event name (for logging).
IGNORED = "ignored"

# The Streams version whose host side the protocol notes were verified against (release 2.28.2 reports
# "2.28.1"); the CCP may use it to decide which host features exist.
STREAMS_VERSION = "2.28.1"


def host_message(event, data=None):
    """A host message: {event} or {event, data}."""
    return {"event": event} if data is None else {"event": event, "data": data}


def configure_message(config, **protocol_members):
    """CONFIGURE (ccp-protocol 1.5): softphone and page options, plus the protocol's own members (legacy DR:
    disasterRecoveryOn)."""
    data = {
        "softphone": dict(config.softphone),
        "pageOptions": dict(config.page_options),
        "showInactivityModal": config.page_options["showInactivityModal"],
    }
    data.update(protocol_members)
    return host_message(CONFIGURE, data)


def outer_context_info_message(streams_version=STREAMS_VERSION):
    return host_message(OUTER_CONTEXT_INFO, {"streamsVersion": streams_version})


def synchronize_message():
    return host_message(SYNCHRONIZE)


def api_request_message(request_id, method, params):
    """A CTI call through the CCP's worker (ccp-protocol 2); the answer (api_response) comes to this window only,
    under `request_id`. Page script never sees the id: the frames' messages never reach it (boot/page_guard.js),
    so an answer with it cannot be forged through the worker's broadcast echo."""
    return host_message(API_REQUEST, {"event": API_REQUEST, "requestId": request_id, "method": method,
                                      "params": params})


# ----------------------------------------------------------------------------------------------------------
# CCP -> host


def require(data, table, event):
    """`data` if it conforms to the field table (extra members allowed), else ProtocolError naming `event`."""
    problem = field_problem(data, table, allow_extra=True)
    if problem is not None:
        raise ProtocolError(f"{event}: data {problem}")
    return data


def _parse_acknowledge(data):
    """{id} on the worker's port-connect ACK (the handshake), None for a keep-alive ACK."""
    if data is None:
        return None
    require(data, {"id": may(optional(is_str))}, ACKNOWLEDGE)
    port_id = data.get("id")
    return None if port_id is None else {"id": port_id}


def _parse_auth_fail(data):
    if data is not None:
        require(data, {"authorize": may(optional(is_bool))}, AUTH_FAIL)
    return None


def _parse_api_response(data):
    """{requestId, data, err}: `err` is the call's error (a JSON text, as the worker sends it) or None."""
    require(data, {"requestId": required(is_text), "err": may(optional(is_str))}, API_RESPONSE)
    return {"requestId": data["requestId"], "data": data.get("data"), "err": data.get("err") or None}


def _no_payload(_data):
    return None


PARSERS = {
    ACKNOWLEDGE: _parse_acknowledge,
    AGENT_UPDATE: snapshot.parse_agent_update,
    LOG: logs.parse_relayed_entry,
    AUTH_FAIL: _parse_auth_fail,
    TERMINATED: _no_payload,
    REQUEST_CONFIGURE: _no_payload,
    API_RESPONSE: _parse_api_response,
}


def parser_table(protocol_parsers):
    """The parsers of every CCP event the host handles: the shared ones and a protocol's (HostRules.CCP_EVENTS)."""
    table = dict(PARSERS)
    table.update(protocol_parsers)
    return table


def parse_ccp_message(message_data, parsers=PARSERS):
    """(event, payload) of a message a CCP iframe posted (MessageEvent.data), or (IGNORED, event name) for a
    well-formed event the extension does not act on. ProtocolError for anything malformed. `parsers`: the table
    of the events handled (parser_table). Shared payloads:
      acknowledge                -> {"id"} (port-connect ACK: the handshake) or None (keep-alive)
      agent::update              -> snapshot.AgentSnapshot
      log                        -> logs.parse_relayed_entry(data)
      api_response               -> {"requestId", "data", "err"}
      auth_fail, terminated, request_configure -> None"""
    if not isinstance(message_data, dict):
        raise ProtocolError("message is not an object")
    event = message_data.get("event")
    if not is_text(event):
        raise ProtocolError("message has no event name")
    parse = parsers.get(event)
    if parse is None:
        return IGNORED, event
    return event, parse(message_data.get("data"))
