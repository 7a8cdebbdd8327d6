"""The page API's relay (issue 14, README "Page API"): between the real Amazon Connect Streams that runs in an
opted-in page's main world — whose CCP iframes are stand-ins that load nothing — and the extension's own CCP
frames. Everything from the page is untrusted input; nothing from it reaches the extension's host rules.

host -> CCP (a message the page's Streams posted to a stand-in of `region`), host_verdict():
  FORWARD  to that region's real CCP (API and CRM master requests, tracked so that only their answers come back;
           the broadcasts Streams' host code sends; the CCP requests Streams serves as they are)
  ANSWER   locally (a master request for a duty of the extension's CCP windows; the keep-alive; agent data)
  else     the protocol's page view decides (ACGR: sign-in check, force_failover), or DROP: the handshake, DR/GR
           control, close/terminate, every broadcast that could drive a CCP window's host (agent::update,
           acknowledge, failovers...), anything malformed, anything before the page's host was acknowledged.
CCP -> host (a message of the extension's CCP frame, already accepted by the frame bridge), ccp_verdict():
  answered locally or the extension's own business (acknowledge, request_configure, DR/GR events) are dropped;
  API and master responses go only to the page's own request, in the region it was sent to; with ACGR only the
  active region's traffic passes (as Streams' GR conduit lets through); the rest is forwarded.

The relay's decisions are returned as data for the platform (platform/content/page_api) to perform:
  ("page", region, message)   delivered to the page's Streams as if the stand-in of region had posted it
  ("ccp", region, message)    posted to the region's real CCP frame
  ("request", what, fields)   a wish of page code (core.runtime_messages.PAGE_REQUESTS, with the message's fields),
                              decided by the background
  ("facade", message)         the extension's decisions, told to the page API's own script (legacy DR's facade)
A page's log download (legacy DR's globalConnect.core.downloadLogs: {"kind": "download-logs", "logName",
"filterByLogLevel"}, each null or of its type) is the request of the popup's download, with those options.
Not served: download_log_from_ccp (the agent's logs are downloaded from the popup), the CCP's relayed log lines.
"""
from .runtime_messages import DOWNLOAD_LOGS_REQUEST
from .shapes import is_bool, is_text

FORWARD = "forward"
ANSWER = "answer"
DROP = "drop"
ROUTE = "route"

# Broadcast inner events that Streams' host code sends (its logger, metrics, Agent/Contact API and softphone
# helpers; connect-streams.js 2.28.2). The CCP's worker re-emits a broadcast to every CCP window of the region, in
# every tab, so nothing else may pass: never disasterRecovery::*, globalResiliency::*, agent::update, acknowledge.
HOST_BROADCASTS = frozenset((
    "log", "server_bound_internal_log", "client_metric", "softphone_stats", "softphone_report", "click_stream_data",
    "mute", "contact::view", "contact::accepted", "contact::screen_sharing_started", "contact::screen_sharing_stopped",
    "contact::screen_sharing_error", "taskList::activate_channel_with_view_type", "configuration::set_speaker_device",
    "configuration::set_microphone_device", "configuration::set_ringer_device", "configuration::ringer_device_changed",
    "configuration::camera_device_changed", "configuration::background_blur_changed", "voiceId::update_domain_id",
    "connection::session_init", "agent::local_media_stream_created"))
_ACCEPTED_FOR_CONTACT = "contact::accepted::"
# Requests the CCP serves as they are.
PLAIN_REQUESTS = frozenset(("reload_agent_configuration", "media_device_request", "webSocket::send",
                            "webSocket::subscribe"))
# connect.MasterTopics: duties of the extension's CCP windows (failover, softphone, ringtone, log upload...).
CCP_MASTER_TOPICS = frozenset(("connect::loginPopup", "connect::sendLogs", "connect::softphone",
                               "connect::ringtone", "connect::metrics", "connect::failover"))
API_REQUEST = "api_request"
MASTER_REQUEST = "master_request"
BROADCAST = "broadcast"
SYNCHRONIZE = "synchronize"
FETCH_AGENT_DATA = "agent::fetch_agent_data_from_ccp"
ACKNOWLEDGE = "acknowledge"
AGENT_UPDATE = "agent::update"
CONNECTED_CCPS = "update_connected_ccps"
RESPONSES = ("api_response", "master_response")
# CCP events the page is never told: answered locally, or the extension's (it tells the page its decisions). (The
# CCP's answer to a fetch of agent data, the extension's or the page's, is the agent's data for any host: it passes.)
NOT_FOR_PAGE = frozenset((ACKNOWLEDGE, "request_configure"))
NOT_FOR_PAGE_PREFIXES = ("disasterRecovery::", "globalResiliency::")
# CCP events the frame bridge does not hand to the relay at all: the CCP's relayed log lines come by the
# thousand (the extension keeps and downloads them); the page's Streams logs its own host's lines.
NOT_HEARD = ("log",)


# A region answers the page's keep-alive while its real CCP acknowledged the extension this recently.
ALIVE_MS = 5000
MAX_TRACKED = 500  # the page's requests awaiting an answer (the oldest is forgotten first)
_MAX_ID = 100
_MAX_NAME = 250


def _is_object(value):
    return isinstance(value, dict)


_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _method_name(value):
    return is_text(value) and len(value) <= 64 and all(c in _LETTERS for c in value)


def download_request(message):
    """The page's log download as a request, or None if its options are malformed."""
    name, by_level = message.get("logName"), message.get("filterByLogLevel")
    if not (name is None or (is_text(name) and len(name) <= _MAX_NAME)) or not (by_level is None or
                                                                               is_bool(by_level)):
        return None
    fields = {key: value for key, value in (("logName", name), ("filterByLogLevel", by_level)) if value is not None}
    return ("request", DOWNLOAD_LOGS_REQUEST, fields)


def master_answer(request):
    """The answer for a master request of a CCP duty: another window (the extension's) holds it."""
    return {"event": "master_response", "data": {"event": "master_response", "requestId": request["requestId"],
                                                 "err": None, "data": {"masterId": None, "isMaster": False,
                                                                       "takeOver": False,
                                                                       "topic": request["params"]["topic"]}}}


def host_verdict(message):
    """(verdict, detail) of one message of the page's Streams host: (FORWARD, request id to track or None),
    (ANSWER, reply or SYNCHRONIZE or FETCH_AGENT_DATA), (DROP, why), or (None, event): the protocol's to judge."""
    if not _is_object(message) or not is_text(message.get("event")) or len(message["event"]) > _MAX_NAME:
        return DROP, "malformed"
    event, data = message["event"], message.get("data")
    if event == API_REQUEST:
        if not (_is_object(data) and data.get("event") == API_REQUEST and is_text(data.get("requestId"))
                and len(data["requestId"]) <= _MAX_ID and _method_name(data.get("method"))):
            return DROP, "malformed api_request"
        return FORWARD, data["requestId"]
    if event == MASTER_REQUEST:
        if not (_is_object(data) and data.get("event") == MASTER_REQUEST and is_text(data.get("requestId"))
                and len(data["requestId"]) <= _MAX_ID and data.get("method") in ("checkMaster", "becomeMaster")
                and _is_object(data.get("params")) and is_text(data["params"].get("topic"))
                and len(data["params"]["topic"]) <= _MAX_NAME):
            return DROP, "malformed master_request"
        passive = data["method"] == "checkMaster" and data["params"].get("shouldNotBecomeMasterIfNone") is True
        if data["params"]["topic"] in CCP_MASTER_TOPICS and not passive:
            return ANSWER, master_answer(data)
        return FORWARD, data["requestId"]
    if event == BROADCAST:
        inner = data.get("event") if _is_object(data) else None
        if not is_text(inner) or len(inner) > _MAX_NAME:
            return DROP, "malformed broadcast"
        if inner in HOST_BROADCASTS or (inner.startswith(_ACCEPTED_FOR_CONTACT) and len(inner) > 19):
            return FORWARD, None
        return DROP, "broadcast of " + inner
    if event in (SYNCHRONIZE, FETCH_AGENT_DATA):
        return ANSWER, event
    if event in PLAIN_REQUESTS:
        return FORWARD, None
    return None, event


def ccp_verdict(message, active):
    """FORWARD, ROUTE (an answer: only to the page's own request) or DROP for a CCP message to the page's Streams;
    `active`: whether the protocol's page view lets the region's traffic through (core of each protocol)."""
    if not _is_object(message) or not is_text(message.get("event")):
        return DROP
    event = message["event"]
    if event in NOT_FOR_PAGE or event.startswith(NOT_FOR_PAGE_PREFIXES):
        return DROP
    if event in RESPONSES:
        return ROUTE
    return FORWARD if active else DROP


class PageRelay:
    """One tab's relay state: each region's real CCP (its window's port id, its last acknowledge, its latest agent
    data and connected CCPs), whether the page's host for that region is up and acknowledged, the page's requests
    awaiting an answer. `view`: the protocol's page view (e.g. core.acgr.AcgrPageView)."""

    def __init__(self, region_keys, view):
        self.view = view
        self.regions = tuple(region_keys)
        self.port_id = {key: None for key in self.regions}
        self.last_ack = {key: None for key in self.regions}
        self.agent = {key: None for key in self.regions}
        self.connected = {key: None for key in self.regions}
        self.host_ready = {key: False for key in self.regions}
        self.host_acked = {key: False for key in self.regions}
        self.tracked = {}  # request id -> region
        self._order = []
        self.dropped = 0

    # the page's side ---------------------------------------------------------------------------------------
    def on_page(self, message, now):
        """A message on the page's port: {"kind": "host-ready", "region"} once the page's Streams made the
        region's stand-in, {"kind": "to-ccp", "region", "msg"} for each message it posted there; a log download
        (download_request)."""
        if _is_object(message) and message.get("kind") == DOWNLOAD_LOGS_REQUEST:
            request = download_request(message)
            if request is None:
                self.dropped += 1
            return [] if request is None else [request]
        if not _is_object(message) or message.get("region") not in self.host_ready:
            self.dropped += 1
            return []
        region, kind = message["region"], message.get("kind")
        if kind == "host-ready":
            self.host_ready[region] = True
            return self._ack_host(region)
        if kind != "to-ccp" or not self.host_acked[region]:
            self.dropped += 1  # before its first ACK the host talks to a CCP that is not there yet (lost, as then)
            return []
        return self._from_host(region, message.get("msg"), now)

    def _from_host(self, region, message, now):
        verdict, detail = host_verdict(message)
        if verdict == FORWARD:
            if detail is not None:
                self._track(detail, region)
            return [("ccp", region, message)]
        if verdict == ANSWER:
            if detail == SYNCHRONIZE:
                alive = self.last_ack[region] is not None and now - self.last_ack[region] < ALIVE_MS
                return [("page", region, {"event": ACKNOWLEDGE})] if alive else []
            if detail == FETCH_AGENT_DATA:  # the latest data, or the CCP's own answer (an agent::update to all)
                data = self.agent[region]
                if data is None:
                    return [("ccp", region, {"event": FETCH_AGENT_DATA})]
                return [("page", region, {"event": FETCH_AGENT_DATA, "data": data})]
            return [("page", region, detail)]
        if verdict is None:
            actions = self.view.on_host_event(region, detail)
            if actions is not None:
                return actions
        self.dropped += 1
        return []

    def _track(self, request_id, region):
        if request_id not in self.tracked:
            self._order.append(request_id)
        self.tracked[request_id] = region
        while len(self._order) > MAX_TRACKED:
            self.tracked.pop(self._order.pop(0), None)

    def _ack_host(self, region):
        """The page's host gets its first ACK (with the real CCP window's port id) once both sides are up, then
        what a newly connected CCP window gets from the worker: the connected CCPs and the agent's data."""
        if not self.host_ready[region] or self.port_id[region] is None or self.host_acked[region]:
            return []
        self.host_acked[region] = True
        actions = [("page", region, {"event": ACKNOWLEDGE, "data": {"id": self.port_id[region]}})]
        if self.connected[region] is not None:
            actions.append(("page", region, {"event": CONNECTED_CCPS, "data": self.connected[region]}))
        if self.agent[region] is not None and self.view.hears_from(region):
            actions.append(("page", region, {"event": AGENT_UPDATE, "data": self.agent[region]}))
        return actions

    # the extension's CCP frames -------------------------------------------------------------------------
    def on_ccp(self, region, message, now):
        """A message of the region's real CCP frame (the frame bridge checked its window and origin)."""
        if region not in self.port_id or not _is_object(message):
            return []
        event, data = message.get("event"), message.get("data")
        actions = []
        if event == ACKNOWLEDGE:
            self.last_ack[region] = now
            if _is_object(data) and is_text(data.get("id")) and self.port_id[region] is None:
                self.port_id[region] = data["id"]
                actions += self._ack_host(region)
        elif event in (AGENT_UPDATE, FETCH_AGENT_DATA) and _is_object(data):
            self.agent[region] = data
        elif event == CONNECTED_CCPS:
            self.connected[region] = data
        if not self.host_acked[region]:
            return actions
        verdict = ccp_verdict(message, self.view.hears_from(region))
        if verdict == ROUTE:
            request_id = data.get("requestId") if _is_object(data) else None
            if self.tracked.get(request_id) != region:
                return actions  # another host's answer (the extension's own, another tab's)
            del self.tracked[request_id]
            self._order.remove(request_id)
            verdict = FORWARD
        if verdict == FORWARD:
            actions.append(("page", region, message))
        return actions

    # the extension's decisions ---------------------------------------------------------------------------
    def on_decisions(self, rules):
        """What the page's Streams is told after the tab's host rules decided (a failover detected, pending,
        the switch); only for regions whose host it acknowledged."""
        return [action for action in self.view.decisions(rules, self.agent)
                if action[0] != "page" or self.host_acked[action[1]]]
