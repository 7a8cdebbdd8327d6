"""ACGR, Amazon Connect Global Resiliency as Streams 2.16+ speaks it (ccp-protocol 7, `src/global-resiliency.js`):
its wire messages and its host rules.

The CCPs, not the host, know which region is active: each announces its own region and the active one
(`init`), and a failover comes in four phases, detected -> pending (the active CCP waits for a voice or chat
contact to end) -> initiated (the host shows the new region) -> complete (once the new region's CCP has sent its
first agent snapshot; the host tells both CCPs). The host relays some events between the two CCPs and checks the
global sign-in before it configures a CCP.

AcgrRules: the per-tab host rules of Streams' initGRCCP, and where they differ, why:
* regions are the configured ones (the frame of regions[i] is region i); the names the CCPs announce are learnt
  as Streams learns them (so a name that disagrees with the configuration still works) and reported to the
  background, which names the mismatch as a configuration problem;
* a tab that the background already told which region is active starts with that region's CCP shown and
  active, not always the primary one (Streams has no one to ask);
* detected is reported once per target; pending only from the shown CCP and once per failover; initiated
  switches once per target; complete once, after the new region's first agent::update; a lagging tab follows
  the background with the switch's own messages (configure_ccp_conduit to both, agent data from the new one);
* the stand-by CCP stays loaded and signed in, hidden like legacy DR's (out of view, not display:none)."""

from . import ccp_messages as wire
from .errors import ProtocolError
from .runtime_messages import FORCE_FAILOVER_REQUEST
from .shapes import is_str, is_text
from .tab_actions import Announced, Detected, Initiated, Log, Pending, Post, Show, SignInChecked
from .tab_epoch import TabEpoch

_PREFIX = "globalResiliency::"
# Host -> CCP
CONFIGURE_CCP_CONDUIT = _PREFIX + "configure_ccp_conduit"
VALIDATE_GLOBAL_SIGNIN = _PREFIX + "validate_global_signin"
FORCE_FAILOVER = _PREFIX + "force_failover"
FETCH_AGENT_DATA = "agent::fetch_agent_data_from_ccp"
# CCP -> host
INIT = _PREFIX + "init"
GLOBAL_SIGNIN_VALID = _PREFIX + "global_signin_valid"
GLOBAL_SIGNIN_INVALID = _PREFIX + "global_signin_invalid"
FAILOVER_DETECTED = _PREFIX + "failover_detected"
FAILOVER_PENDING = _PREFIX + "failover_pending"
FAILOVER_INITIATED = _PREFIX + "failover_initiated"
# CCP -> host, relayed to the other CCP (and host -> CCP: complete)
FAILOVER_COMPLETE = _PREFIX + "failover_complete"
HEARTBEAT_SYN = _PREFIX + "heartbeat_syn"
HEARTBEAT_ACK = _PREFIX + "heartbeat_ack"
# What the host passes on verbatim from one CCP to the other (Streams' relayUpstream), after its own handling.
RELAYED = (FAILOVER_PENDING, FAILOVER_INITIATED, FAILOVER_COMPLETE, HEARTBEAT_SYN, HEARTBEAT_ACK)

ACTIVE = "active"
INACTIVE = "inactive"
# Streams waits this long for the answer to validate_global_signin, then goes on as if it were valid.
SIGN_IN_CHECK_MS = 250
SIGN_IN_ERROR_TYPES = ("LILY_AGENT_CONFIG_MISSING", "LILY_AGENT_CONFIG_PARSE_ERROR")
_MAX_NAME = 64


def configure_ccp_conduit_message(instance_state):
    return wire.host_message(CONFIGURE_CCP_CONDUIT, {"instanceState": instance_state})


def configure_message(config, instance_state):
    """CONFIGURE in ACGR (Streams' sendConfigure with isACGR): enableGlobalResiliency and the CCP's
    instanceState instead of disasterRecoveryOn."""
    return wire.configure_message(config, enableGlobalResiliency=True, instanceState=instance_state)


def init_ccp_params(config):
    """What Streams sends as outer_context_info's initCCPParams: the host's initCCP parameters."""
    primary, secondary = config.regions
    return {
        "ccpUrl": primary.ccp_url,
        "secondaryCCPUrl": secondary.ccp_url,
        "enableGlobalResiliency": True,
        "loginUrl": config.login_url,
        "loginPopup": config.login_popup,
        "loginPopupAutoClose": config.login_popup_auto_close,
        "softphone": dict(config.softphone),
        "pageOptions": dict(config.page_options),
        "ccpAckTimeout": config.timeouts["ccpAckTimeout"],
        "ccpSynTimeout": config.timeouts["ccpSynTimeout"],
        "ccpLoadTimeout": config.timeouts["ccpLoadTimeout"],
    }


def outer_context_info_message(config):
    message = wire.outer_context_info_message()
    message["data"]["initCCPParams"] = init_ccp_params(config)
    return message


def failover_complete_message(region_name, ccp_origin):
    """What the host sends both CCPs once the switch is complete (Streams: activeCcpUrl is the CCP's origin)."""
    return wire.host_message(FAILOVER_COMPLETE, {"activeRegion": region_name, "activeCcpUrl": ccp_origin})


# ----------------------------------------------------------------------------------------------------------
# CCP -> host. Payloads:
#   init                   -> {"instanceRegion", "instanceState", "activeRegion"} (all required, as in Streams)
#   global_signin_valid    -> None
#   global_signin_invalid  -> {"errorType": str|None, "error": str|None}
#   failover_detected      -> {"activeRegion": str}
#   failover_pending, failover_initiated -> {"activeRegion": str|None, "relay": data as received}
#   failover_complete, heartbeat_syn, heartbeat_ack -> {"relay": data as received}
# A relayed event is relayed whatever its data says (Streams relays every one); only what the host itself reads
# is checked, and data that is neither an object nor absent is refused.


def _name(value):
    return value if is_text(value) and len(value) <= _MAX_NAME else None


def _object(data, event):
    if data is not None and not isinstance(data, dict):
        raise ProtocolError(f"{event}: data is not an object")
    return data or {}


def _parse_init(data):
    data = _object(data, INIT)
    payload = {"instanceRegion": _name(data.get("instanceRegion")), "activeRegion": _name(data.get("activeRegion")),
               "instanceState": data.get("instanceState")}
    if None in (payload["instanceRegion"], payload["activeRegion"]) or payload["instanceState"] not in (ACTIVE,
                                                                                                        INACTIVE):
        raise ProtocolError(f"{INIT}: data needs instanceRegion, activeRegion and instanceState (active or inactive)")
    return payload


def _parse_signin_valid(data):
    return None


def _parse_signin_invalid(data):
    data = _object(data, GLOBAL_SIGNIN_INVALID)
    error = data.get("error")
    if isinstance(error, dict):
        error = error.get("message")
    return {"errorType": _name(data.get("errorType")), "error": error[:200] if is_str(error) else None}


def _parse_detected(data):
    region = _name(_object(data, FAILOVER_DETECTED).get("activeRegion"))
    if region is None:
        raise ProtocolError(f"{FAILOVER_DETECTED}: data.activeRegion is missing")
    return {"activeRegion": region}


def _relayed_parser(event, reads_region):
    def parse(data):
        payload = {"relay": data}
        if reads_region:
            payload["activeRegion"] = _name(_object(data, event).get("activeRegion"))
        else:
            _object(data, event)
        return payload
    return parse


PARSERS = {
    INIT: _parse_init,
    GLOBAL_SIGNIN_VALID: _parse_signin_valid,
    GLOBAL_SIGNIN_INVALID: _parse_signin_invalid,
    FAILOVER_DETECTED: _parse_detected,
    FAILOVER_PENDING: _relayed_parser(FAILOVER_PENDING, True),
    FAILOVER_INITIATED: _relayed_parser(FAILOVER_INITIATED, True),
    FAILOVER_COMPLETE: _relayed_parser(FAILOVER_COMPLETE, False),
    HEARTBEAT_SYN: _relayed_parser(HEARTBEAT_SYN, False),
    HEARTBEAT_ACK: _relayed_parser(HEARTBEAT_ACK, False),
}
HOST_EVENTS = (CONFIGURE_CCP_CONDUIT, VALIDATE_GLOBAL_SIGNIN, FORCE_FAILOVER, FETCH_AGENT_DATA, FAILOVER_COMPLETE)
# Every event name of the protocol's own, for hostile-input tests.
ALL_EVENTS = tuple(PARSERS) + tuple(event for event in HOST_EVENTS if event not in PARSERS)


def sign_in_problem(payload):
    """The words for an invalid global sign-in, naming its errorType."""
    kind = payload["errorType"] or "no error type given"
    return f"global sign-in invalid ({kind})" + (f": {payload['error']}" if payload["error"] else "")


class AcgrRules(TabEpoch):
    """core.host_rules.HostRules for ACGR. One tab's view: which region's CCP is shown (and active), the names the
    CCPs announced, the failover phases seen here."""

    __slots__ = ("config", "shown", "hidden", "epoch", "detected_target", "pending_target", "completing",
                 "initialized", "_names", "_assigned", "_blocking_contact")
    CCP_EVENTS = PARSERS
    # Streams' ACGR documentation: a failover waits for voice and chat contacts (ccp-protocol 7.3, item 5).
    BLOCKING_CONTACT_TYPES = ("voice", "queue_callback", "chat")
    COMPLETES_STUCK_FAILOVER = False  # the CCPs initiate the switch; Switch now ends a stuck one
    ANNOUNCES_REGIONS = True
    SWITCH_NOW = True
    MANUAL_FAILOVER = False  # the CCPs act on force_failover only while a failover is pending (7.4)

    def __init__(self, config, shown_region=None, epoch=0, failover=None):
        keys = config.region_keys
        self.config = config
        self.shown, self.hidden = config.shown_and_hidden(shown_region)
        self.epoch = epoch
        self.detected_target = None   # the last failover_detected target (Streams dedupes on it)
        self.pending_target = None    # set by the shown CCP's failover_pending until the switch
        self.completing = None        # the region switched to, until its first agent::update completes it
        self.initialized = False      # the first init switched (later ones are deduped)
        # Each region's AWS name: as configured until a CCP names it (its own init, the other's init, or a failover
        # naming a region no one has); then `_assigned`, as Streams' conduit.region.
        self._names = {region.key: region.name for region in config.regions}
        self._assigned = set()
        self._blocking_contact = {key: None for key in keys}
        self._hears_failover(failover)

    def _other(self, region):
        return self.hidden if region == self.shown else self.shown

    def _state(self, region):
        return ACTIVE if region == self.shown else INACTIVE

    def _key_named(self, name):
        """The region key of an AWS region name as the CCPs say it, or None. Like Streams, a name no region has
        goes to the one region no CCP has named yet, if there is exactly one."""
        keys = [key for key, known in self._names.items() if known == name]
        if len(keys) == 1:
            return keys[0]
        unnamed = [key for key in self._names if key not in self._assigned]
        if not keys and len(unnamed) == 1:
            self._names[unnamed[0]] = name
            self._assigned.add(unnamed[0])
            return unnamed[0]
        return None

    # messages ---------------------------------------------------------------------------------------------
    def frame_created_messages(self, region):
        """As Streams before any region is known: the shown CCP is told it is active, the other inactive."""
        return [configure_ccp_conduit_message(self._state(region))]

    def sign_in_check(self, region):
        return wire.host_message(VALIDATE_GLOBAL_SIGNIN), SIGN_IN_CHECK_MS

    def handshake_messages(self, region):
        """Streams' _completeAcknowledgeInitialization: configure, then outer_context_info with the initCCP
        params (the conduit starts the heartbeat after them)."""
        return [self.configure_message(region), outer_context_info_message(self.config)]

    def configure_message(self, region):
        return configure_message(self.config, self._state(region))

    # decisions --------------------------------------------------------------------------------------------
    def _relay(self, from_region, event, payload):
        return Post(self._other(from_region), wire.host_message(event, payload["relay"]))

    def _activate(self, target):
        """Streams' _switchActiveRegion: `target` becomes the shown and active CCP (Show first, when it changes:
        the agent sees the new CCP before anything else is done), then agent data is asked of it and both CCPs
        are told their state."""
        actions = []
        if target != self.shown:
            actions.append(Show(target))
            self.hidden, self.shown = self.shown, target
            self.pending_target = None
        return actions + [Post(target, wire.host_message(FETCH_AGENT_DATA)),
                          Post(target, configure_ccp_conduit_message(ACTIVE)),
                          Post(self.hidden, configure_ccp_conduit_message(INACTIVE))]

    def on_ccp_event(self, region, event, payload):
        if event == INIT:
            return self._on_init(region, payload)
        if event == GLOBAL_SIGNIN_VALID:
            return [SignInChecked(region, True, None)]
        if event == GLOBAL_SIGNIN_INVALID:
            return [Log(region, "WARN", f"the {region} CCP says: {sign_in_problem(payload)}"),
                    SignInChecked(region, False, sign_in_problem(payload))]
        if event == FAILOVER_DETECTED:
            return self._on_detected(region, payload)
        if event == FAILOVER_PENDING:
            return self._on_pending(region, payload) + [self._relay(region, event, payload)]
        if event == FAILOVER_INITIATED:
            return self._on_initiated(region, payload) + [self._relay(region, event, payload)]
        return [self._relay(region, event, payload)]  # failover_complete and the heartbeat

    def _on_init(self, region, payload):
        """The first init (from either CCP) shows the active region, as Streams' does (which region is active is
        positional: this one if it names itself, else the other), unless a failover to it is in flight (this
        tab's CCPs or the background said so): that one switches when it is initiated (or complete), and until
        then the old region's CCP, where its contact may live, stays shown and active. Every init is answered
        with the state this tab wants the CCP in (Streams echoes the CCP's own, the same but during a flight)."""
        instance, active = payload["instanceRegion"], payload["activeRegion"]
        self._names[region] = instance
        self._assigned.add(region)
        target = region if instance == active else self._other(region)
        if target != region and target not in self._assigned:
            self._names[target] = active
            self._assigned.add(target)
        switch = []
        if not self.initialized:
            self.initialized = True
            switch = self._activate(self.shown if target == self.detected_target else target)
        return [Log(region, "INFO", f"the {region} CCP announced region {instance} ({payload['instanceState']}); "
                                    f"active region {active}"),
                Post(region, configure_ccp_conduit_message(self._state(region)))] + switch + [
                    Announced(region, instance, target)]

    def _on_detected(self, region, payload):
        target = self._key_named(payload["activeRegion"])
        if target is None:
            return [Log(region, "WARN", f"failover detected to {payload['activeRegion']}, which is no region here")]
        if target == self.detected_target:
            return []
        self.detected_target = target
        if target == self.shown:
            self.pending_target = None  # the active region changed back before the switch
        return [Detected(target, None)]

    def _on_pending(self, region, payload):
        """Only the shown (active) CCP's, once until the switch. The contact it waits for: the shown region's
        first voice or chat contact."""
        if region != self.shown or self.pending_target is not None:
            return []
        target = self._key_named(payload["activeRegion"]) if payload["activeRegion"] else None
        self.pending_target = target if target is not None and target != self.shown else self.hidden
        contact = self._blocking_contact[region]
        return [Pending(self.pending_target, contact and contact.contact_id, contact and contact.type)]

    def _on_initiated(self, region, payload):
        """Switches to the region it names, once (a switch to the region shown is none)."""
        name = payload["activeRegion"]
        target = None if name is None else self._key_named(name)
        if target is None:
            return [Log(region, "ERROR", f"failover initiated without a region of ours ({name!r}): no switch")]
        if target == self.shown:
            return []
        self.completing = target
        return self._activate(target) + [Initiated(target)]

    def on_agent_update(self, region, snapshot):
        """Remembers the region's first blocking contact; the first snapshot of the region switched to
        completes the failover: reported, and said to both CCPs."""
        if region not in self._blocking_contact:
            return []
        self._blocking_contact[region] = snapshot.blocking_contact(self.BLOCKING_CONTACT_TYPES)
        if region != self.completing or region != self.shown:
            return []
        self.completing = None
        done = failover_complete_message(self._names[region], self.config.region(region).ccp_origin)
        return [self._switched(region, self.hidden, followed=False), Post(region, done), Post(self.hidden, done)]

    def _switching(self):
        """TabEpoch: a switch initiated here waits for the new region's first agent::update."""
        return self.completing is not None

    def _follow(self, region, forced):
        """The background's active region is the one hidden here (this tab's CCPs' worker did not tell it): the
        tab switches with the messages of a switch, and says so (core.tab_epoch.TabEpoch.on_global_region).
        `forced` changes nothing: an ACGR Switch now is the CCPs' own force_failover, which ends the contacts."""
        self.completing = None
        previous = self.shown
        return self._activate(region) + [self._switched(region, previous, followed=True)]

    def on_switch_now(self):
        """Streams' connect.globalResiliency.forceFailover(): force_failover to both CCPs (the active one acts
        on it only while a failover is pending)."""
        message = wire.host_message(FORCE_FAILOVER)
        return [Log(self.shown, "WARN", "Switch now: force_failover sent to both CCPs"),
                Post(self.shown, message), Post(self.hidden, message)]


class AcgrPageView:
    """The page API's view of ACGR (core.page_relay.PageRelay asks it). The page's Streams runs initGRCCP on two
    stand-in CCP windows and hears the extension's decisions in GR terms, never the CCPs' own GR events (the
    extension's host rules act on those): its sign-in check is answered valid with an init naming the region this
    tab shows as active; a failover detected or pending here is told to the active stand-in; the switch is told as
    Streams hears it (failover_initiated to the new region, then that region's agent data, after which Streams
    itself fires failover_complete). Its force_failover (sent to both stand-ins) is one request for the extension."""

    # The registrations (platform/background/content_scripts): Streams and the script that starts it in the top's
    # main world (the build's load list of that name); no regional realms.
    MAIN_FILES = "page_api_main"
    REGIONAL_REALMS = False

    def __init__(self, config, shown):
        self.config = config
        self.shown = shown      # the region the page's Streams was told is active
        self.detected = None    # the failover target it was told of (Streams dedupes on it)
        self.pending = None     # the target of the failover it was told is pending

    def _name(self, key):
        return self.config.region(key).name

    def hears_from(self, region):
        """Streams' GR conduit passes only the active CCP's traffic to the host."""
        return region == self.shown

    def on_host_event(self, region, event):
        """The page-relay actions for a host message of the protocol's, or None (not one: dropped)."""
        if event == VALIDATE_GLOBAL_SIGNIN:
            init = {"instanceRegion": self._name(region), "instanceState": ACTIVE if region == self.shown else INACTIVE,
                    "activeRegion": self._name(self.shown)}
            return [("page", region, wire.host_message(GLOBAL_SIGNIN_VALID)),
                    ("page", region, wire.host_message(INIT, init))]
        if event == FORCE_FAILOVER:
            return [("request", FORCE_FAILOVER_REQUEST, {})] if region == self.shown else []
        return None

    def decisions(self, rules, agent):
        """The messages that tell the page's Streams what `rules` (this tab's AcgrRules) decided since it was last
        told; `agent`: each region's latest agent data (or None)."""
        actions = []
        if rules.shown != self.shown:
            previous, self.shown = self.shown, rules.shown
            if self.detected != rules.shown:
                actions.append(("page", previous, wire.host_message(FAILOVER_DETECTED,
                                                                    {"activeRegion": self._name(rules.shown)})))
            self.detected, self.pending = rules.shown, None
            actions.append(("page", rules.shown, wire.host_message(FAILOVER_INITIATED,
                                                                   {"activeRegion": self._name(rules.shown)})))
            if agent.get(rules.shown) is not None:
                actions.append(("page", rules.shown, {"event": "agent::update", "data": agent[rules.shown]}))
            return actions
        if rules.detected_target is not None and rules.detected_target != self.detected:
            self.detected = rules.detected_target
            actions.append(("page", self.shown, wire.host_message(FAILOVER_DETECTED,
                                                                  {"activeRegion": self._name(self.detected)})))
        if rules.pending_target != self.pending:
            self.pending = rules.pending_target
            if self.pending is not None:
                actions.append(("page", self.shown, wire.host_message(FAILOVER_PENDING,
                                                                      {"activeRegion": self._name(self.pending)})))
        return actions
