"""The CCP <-> host window protocol (ccp-protocol.md sections 1, 2 and 5): what the host posts to a CCP iframe,
and a validating parser for what a CCP iframe posts to its host. Messages are plain dicts {event, data}
(the platform layer posts them as structured-clone objects, never JSON strings); `data` is left out when a
message has none, as Streams leaves it undefined."""

from . import logs, snapshot
from .errors import ProtocolError
from .shapes import field_problem, is_bool, is_str, is_text, may, optional, required

# Host -> CCP
CONFIGURE = "configure"
SYNCHRONIZE = "synchronize"
OUTER_CONTEXT_INFO = "outer_context_info"
INIT_DISASTER_RECOVERY = "disasterRecovery::init_disaster_recovery"
SUPPRESS = "disasterRecovery::suppress"
SET_OFFLINE = "disasterRecovery::set_offline"

# CCP -> host, handled by the extension
ACKNOWLEDGE = "acknowledge"
AGENT_UPDATE = "agent::update"
FAILOVER = "disasterRecovery::failover"
FAILOVER_PENDING = "disasterRecovery::failover_pending"
FORCE_OFFLINE = "disasterRecovery::force_offline"
LOG = "log"
AUTH_FAIL = "auth_fail"
TERMINATED = "terminated"
REQUEST_CONFIGURE = "request_configure"

# CCP -> host, known but of no use to the extension (parse_ccp_message reports them as IGNORED).
IGNORED_CCP_EVENTS = (
    "api_response", "update_connected_ccps", "master_response", "server_bound_internal_log", "api_metric",
    "client_metric", "click_stream_data", "access_denied", "cti_authorize_retries_exhausted", "media_device_response",
    "connection::ready_to_start_session", "agent::websocket_connection_lost", "agent::websocket_connection_gained",
    "webSocket::message", "webSocket::connection_lost", "webSocket::connection_gained", "mute",
    "contact::accepted", "contact::view", "configuration::configure",
)
HANDLED_CCP_EVENTS = (ACKNOWLEDGE, AGENT_UPDATE, FAILOVER, FAILOVER_PENDING, FORCE_OFFLINE, LOG, AUTH_FAIL,
                      TERMINATED, REQUEST_CONFIGURE)
HOST_EVENTS = (CONFIGURE, SYNCHRONIZE, OUTER_CONTEXT_INFO, INIT_DISASTER_RECOVERY, SUPPRESS, SET_OFFLINE)
# Every event name of the protocol, for hostile-input tests.
ALL_EVENTS = HANDLED_CCP_EVENTS + IGNORED_CCP_EVENTS + HOST_EVENTS

# What parse_ccp_message returns as event for a well-formed message the extension does not act on; the
# payload is then the original event name (for logging).
IGNORED = "ignored"

# The Streams version whose host side the protocol notes were verified against (release 2.28.2 reports
# "2.28.1"); the CCP may use it to decide which host features exist.
STREAMS_VERSION = "2.28.1"


def _message(event, data=None):
    return {"event": event} if data is None else {"event": event, "data": data}


def configure_message(config):
    """CONFIGURE for either region (ccp-protocol 1.5): softphone and page options, legacy DR on."""
    return _message(CONFIGURE, {
        "softphone": dict(config.softphone),
        "pageOptions": dict(config.page_options),
        "showInactivityModal": config.page_options["showInactivityModal"],
        "disasterRecoveryOn": True,
    })


def init_disaster_recovery_message(config, region_key, displayed_first):
    """The params the reference sends on the first ACK (its whole initCCP params object): the region's normalised
    name, its ARN and the other one's, polling on; `isPrimary` only on the region the tab displays first;
    like the reference, only that region may open the login popup."""
    region = config.region(region_key)
    other = config.other_region(region_key)
    params = {
        "ccpUrl": region.ccp_url,
        "region": region.name,
        "instanceArn": region.instance_arn,
        "otherArn": other.instance_arn,
        "pollForFailover": True,
        "loginUrl": config.login_url,
        "loginPopup": config.login_popup and displayed_first,
        "loginPopupAutoClose": config.login_popup_auto_close,
        "disasterRecoveryOn": True,
        "softphone": dict(config.softphone),
        "pageOptions": dict(config.page_options),
        "ccpAckTimeout": config.timeouts["ccpAckTimeout"],
        "ccpSynTimeout": config.timeouts["ccpSynTimeout"],
        "ccpLoadTimeout": config.timeouts["ccpLoadTimeout"],
    }
    if displayed_first:
        params["isPrimary"] = True
    return _message(INIT_DISASTER_RECOVERY, params)


def outer_context_info_message(streams_version=STREAMS_VERSION):
    return _message(OUTER_CONTEXT_INFO, {"streamsVersion": streams_version})


def synchronize_message():
    return _message(SYNCHRONIZE)


def suppress_message(suppress):
    """SUPPRESS true stops the region's worker offering contacts; false ("activate") lets it offer them. The
    worker must not answer with a failover of its own (shouldSendFailoverDownstream false)."""
    return _message(SUPPRESS, {"suppress": bool(suppress), "shouldSendFailoverDownstream": False})


def set_offline_message(soft_failover=None):
    """SET_OFFLINE: the region's failover-master CCP sets the agent Offline, ending contacts first; with
    soft_failover true, voice contacts are waited for instead (failover_pending). None sends no data."""
    return _message(SET_OFFLINE, None if soft_failover is None else {"softFailover": bool(soft_failover)})


# ----------------------------------------------------------------------------------------------------------
# CCP -> host


def _require(data, table, event):
    problem = field_problem(data, table, allow_extra=True)
    if problem is not None:
        raise ProtocolError(f"{event}: data {problem}")
    return data


def _parse_acknowledge(data):
    """{id} on the worker's port-connect ACK (the handshake), None for a keep-alive ACK."""
    if data is None:
        return None
    _require(data, {"id": may(optional(is_str))}, ACKNOWLEDGE)
    port_id = data.get("id")
    return None if port_id is None else {"id": port_id}


def _parse_failover(data):
    _require(data, {"nextActiveArn": may(optional(is_str)), "isPrimary": may(optional(is_bool))}, FAILOVER)
    return {"nextActiveArn": data.get("nextActiveArn") or None, "isPrimary": data.get("isPrimary")}


def _parse_failover_pending(data):
    # A manual failover (set_offline) leads to a pending without nextActiveArn, or to no data at all.
    if data is None:
        return {"nextActiveArn": None}
    _require(data, {"nextActiveArn": may(optional(is_str))}, FAILOVER_PENDING)
    return {"nextActiveArn": data.get("nextActiveArn") or None}


def _parse_force_offline(data):
    """{softFailover, nextActiveArn} from the worker's poll (the first sign of a failover), None for the
    data-less retry after a failed offline."""
    if data is None:
        return None
    _require(data, {"softFailover": may(optional(is_bool)), "nextActiveArn": may(optional(is_str)),
                    "offline": may(optional(is_bool))}, FORCE_OFFLINE)
    return {"softFailover": data.get("softFailover"), "nextActiveArn": data.get("nextActiveArn") or None}


def _parse_auth_fail(data):
    if data is not None:
        _require(data, {"authorize": may(optional(is_bool))}, AUTH_FAIL)
    return None


def _no_payload(_data):
    return None


_PARSERS = {
    ACKNOWLEDGE: _parse_acknowledge,
    AGENT_UPDATE: snapshot.parse_agent_update,
    FAILOVER: _parse_failover,
    FAILOVER_PENDING: _parse_failover_pending,
    FORCE_OFFLINE: _parse_force_offline,
    LOG: logs.parse_relayed_entry,
    AUTH_FAIL: _parse_auth_fail,
    TERMINATED: _no_payload,
    REQUEST_CONFIGURE: _no_payload,
}


def parse_ccp_message(message):
    """(event, payload) of a message a CCP iframe posted (MessageEvent.data), or (IGNORED, event name) for a
    well-formed event the extension does not act on. ProtocolError for anything malformed. Payloads:
      acknowledge                -> {"id"} (port-connect ACK: the handshake) or None (keep-alive)
      agent::update              -> snapshot.AgentSnapshot
      disasterRecovery::failover -> {"nextActiveArn": str|None, "isPrimary": bool|None}
      ...::failover_pending      -> {"nextActiveArn": str|None}
      ...::force_offline         -> {"softFailover": bool|None, "nextActiveArn": str|None} or None (retry)
      log                        -> logs.parse_relayed_entry(data)
      auth_fail, terminated, request_configure -> None"""
    if not isinstance(message, dict):
        raise ProtocolError("message is not an object")
    event = message.get("event")
    if not is_text(event):
        raise ProtocolError("message has no event name")
    parse = _PARSERS.get(event)
    if parse is None:
        return IGNORED, event
    return event, parse(message.get("data"))


def is_handshake(event, payload):
    """Whether a parsed message is the ACK that starts a conduit (the first ACK must carry {id})."""
    return event == ACKNOWLEDGE and payload is not None

