"""The legacy DR protocol of connect-streams-dr.js (ccp-protocol 5 and 6.6): its wire messages and its host rules.

LegacyDrRules: the per-tab host rules of the reference's DR handler, with its known weaknesses fixed (section 9
items 6, 10, 12, 13, 17): an unknown ARN or a switch to the region already shown is ignored, "complete" fires
once per real switch (never at start-up), "pending" fires once per failover and only from the shown region, and a
lagging tab follows the background with the reference's manual-failover messages (suppress + set_offline)."""

from . import ccp_messages as wire
from .snapshot import VOICE_CONTACT_TYPES
from .tab_actions import Detected, Log, Pending, Post, Show
from .tab_epoch import TabEpoch
from .shapes import is_bool, is_str, may, optional

# Host -> CCP
INIT_DISASTER_RECOVERY = "disasterRecovery::init_disaster_recovery"
SUPPRESS = "disasterRecovery::suppress"
SET_OFFLINE = "disasterRecovery::set_offline"
# CCP -> host
FAILOVER = "disasterRecovery::failover"
FAILOVER_PENDING = "disasterRecovery::failover_pending"
FORCE_OFFLINE = "disasterRecovery::force_offline"


def configure_message(config):
    """CONFIGURE with legacy DR on."""
    return wire.configure_message(config, disasterRecoveryOn=True)


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
    return wire.host_message(INIT_DISASTER_RECOVERY, params)


def suppress_message(suppress):
    """SUPPRESS true stops the region's worker offering contacts; false ("activate") lets it offer them. The
    worker must not answer with a failover of its own (shouldSendFailoverDownstream false)."""
    return wire.host_message(SUPPRESS, {"suppress": bool(suppress), "shouldSendFailoverDownstream": False})


def set_offline_message(soft_failover=None):
    """SET_OFFLINE: the region's failover-master CCP sets the agent Offline, ending contacts first; with
    soft_failover true, voice contacts are waited for instead (failover_pending). None sends no data."""
    return wire.host_message(SET_OFFLINE, None if soft_failover is None else {"softFailover": bool(soft_failover)})


# ----------------------------------------------------------------------------------------------------------
# CCP -> host. Payloads:
#   disasterRecovery::failover         -> {"nextActiveArn": str|None, "isPrimary": bool|None}
#   disasterRecovery::failover_pending -> {"nextActiveArn": str|None}
#   disasterRecovery::force_offline    -> {"softFailover": bool|None, "nextActiveArn": str|None} or None (retry)


def _parse_failover(data):
    wire.require(data, {"nextActiveArn": may(optional(is_str)), "isPrimary": may(optional(is_bool))}, FAILOVER)
    return {"nextActiveArn": data.get("nextActiveArn") or None, "isPrimary": data.get("isPrimary")}


def _parse_failover_pending(data):
    # A manual failover (set_offline) leads to a pending without nextActiveArn, or to no data at all.
    if data is None:
        return {"nextActiveArn": None}
    wire.require(data, {"nextActiveArn": may(optional(is_str))}, FAILOVER_PENDING)
    return {"nextActiveArn": data.get("nextActiveArn") or None}


def _parse_force_offline(data):
    """{softFailover, nextActiveArn} from the worker's poll (the first sign of a failover), None for the
    data-less retry after a failed offline."""
    if data is None:
        return None
    wire.require(data, {"softFailover": may(optional(is_bool)), "nextActiveArn": may(optional(is_str)),
                        "offline": may(optional(is_bool))}, FORCE_OFFLINE)
    return {"softFailover": data.get("softFailover"), "nextActiveArn": data.get("nextActiveArn") or None}


PARSERS = {FAILOVER: _parse_failover, FAILOVER_PENDING: _parse_failover_pending, FORCE_OFFLINE: _parse_force_offline}
HOST_EVENTS = (INIT_DISASTER_RECOVERY, SUPPRESS, SET_OFFLINE)
# Every event name of the protocol's own, for hostile-input tests.
ALL_EVENTS = tuple(PARSERS) + HOST_EVENTS


class LegacyDrRules(TabEpoch):
    """core.host_rules.HostRules for legacy DR. One tab's view: which region's CCP is shown, whether a failover is
    detected/pending here, which region this tab activated."""

    __slots__ = ("config", "shown", "hidden", "epoch", "detected_target", "pending_target", "_displayed_first",
                 "_region_by_arn", "_blocking_contact", "_activated")
    CCP_EVENTS = PARSERS
    BLOCKING_CONTACT_TYPES = VOICE_CONTACT_TYPES  # ccp-protocol 9, item 7
    # A pending failover is completed by the failover-master CCP window only: if it goes away, nothing would.
    COMPLETES_STUCK_FAILOVER = True
    ANNOUNCES_REGIONS = False
    SWITCH_NOW = True  # completed by the background (COMPLETES_STUCK_FAILOVER); every tab follows
    # The reference's failoverTo: the host deactivates the old region (suppress, set_offline) and activates the other;
    # here the background switches and every tab follows it that way (_follow, forced)
    MANUAL_FAILOVER = True

    def __init__(self, config, shown_region=None, epoch=0, failover=None):
        keys = config.region_keys
        self.config = config
        self.shown, self.hidden = config.shown_and_hidden(shown_region)
        self.epoch = epoch
        self.detected_target = None
        self.pending_target = None
        self._displayed_first = self.shown
        self._region_by_arn = {region.instance_arn: region.key for region in config.regions}
        self._blocking_contact = {key: None for key in keys}
        self._activated = None  # the region this tab's last switch activated (un-suppressed)
        self._hears_failover(failover)

    # messages ---------------------------------------------------------------------------------------------
    def frame_created_messages(self, region):
        return []

    def sign_in_check(self, region):
        return None

    def handshake_messages(self, region):
        """As the reference, in its order: configure, init_disaster_recovery, outer_context_info. Unlike it, every
        new CCP window gets them all again: a CCP window that never got init_disaster_recovery would not poll for
        failover (ccp-protocol 9, item 4). And the region this tab activated is activated again: the switch's
        un-suppress reached only the window the frame held then (none, if it was on its sign-in page, loading or
        refreshing), and a worker that outlived that window (another window of the region kept it) would stay
        suppressed — unless a failover away from the region has begun here (its worker suppressed itself; the
        new window's first poll decides again anyway)."""
        messages = [configure_message(self.config),
                    init_disaster_recovery_message(self.config, region, region == self._displayed_first),
                    wire.outer_context_info_message()]
        if region == self._activated and self.detected_target is None and self.pending_target is None:
            messages.append(suppress_message(False))
        return messages

    def configure_message(self, region):
        return configure_message(self.config)

    # decisions --------------------------------------------------------------------------------------------
    def _region_of(self, arn):
        return self._region_by_arn.get(arn) if isinstance(arn, str) else None

    def _switch(self, target, followed, forced=False):
        """Show comes first: the agent sees the new region's CCP before anything else is done (the posts that
        follow reach the CCPs all the same). A lagging tab, which follows the background, deactivates the old
        region first, as the reference's manual failover does — softly (a live call is waited for), or hard when
        the agent forced the switch (its contacts are ended); the new region is activated (unsuppressed)."""
        previous = self.shown
        actions = [Show(target)]
        if followed:
            actions += [Post(previous, suppress_message(True)), Post(previous, set_offline_message(not forced))]
        self.hidden, self.shown = previous, target
        self.detected_target = self.pending_target = None
        self._activated = target
        return actions + [Post(target, suppress_message(False)), self._switched(target, previous, followed)]

    def on_ccp_event(self, region, event, payload):
        if event == FAILOVER:
            return [Log(region, "INFO", f"failover signal: {payload}")] + self._on_failover(region, payload)
        if event == FORCE_OFFLINE:
            return self._on_force_offline(region, payload)
        return self._on_failover_pending(region, payload)

    def on_agent_update(self, region, snapshot):
        """Remembers the region's first voice contact (what a pending failover waits for). No actions."""
        if region in self._blocking_contact:
            self._blocking_contact[region] = snapshot.blocking_contact(self.BLOCKING_CONTACT_TYPES)
        return []

    def _on_force_offline(self, from_region, payload):
        """The shown region's worker saw the other region become active. The earliest sign of a failover;
        reported once."""
        if payload is None or from_region != self.shown or self.detected_target is not None:
            return []
        if self._region_of(payload["nextActiveArn"]) != self.hidden:
            return []
        self.detected_target = self.hidden
        return [Detected(self.hidden, payload["softFailover"])]

    def _on_failover(self, from_region, payload):
        """Switch when it names the hidden region, or when the shown region says it is no longer primary
        without naming one (manual failover)."""
        arn = payload["nextActiveArn"]
        if arn is not None:
            if self._region_of(arn) != self.hidden:
                return []  # the region already shown, or an ARN that is not configured: no action
        elif not (payload["isPrimary"] is False and from_region == self.shown):
            return []
        return self._switch(self.hidden, followed=False)

    def _on_failover_pending(self, from_region, payload):
        """Only the failover-master CCP's tab gets it: reported once per failover, and only from the shown region
        towards the hidden one."""
        if from_region != self.shown or self.pending_target is not None:
            return []
        arn = payload["nextActiveArn"]
        if arn is not None and self._region_of(arn) != self.hidden:
            return []
        self.pending_target = self.hidden
        contact = self._blocking_contact[from_region]
        return [Pending(self.hidden, contact and contact.contact_id, contact and contact.type)]

    def _follow(self, region, forced):
        """The background's active region is the one hidden here: the tab deactivates the region it shows the way
        the reference's manual failover does, then switches (core.tab_epoch.TabEpoch.on_global_region)."""
        return self._switch(region, followed=True, forced=forced)

    def on_switch_now(self):
        """Never asked: the background completes a legacy failover itself (COMPLETES_STUCK_FAILOVER), and every
        tab follows it (on_global_region: the old region suppressed and set offline, the new one activated)."""
        return []


class LegacyDrPageView:
    """The page API's view of legacy DR (core.page_relay.PageRelay asks it), behind the interface of
    core.acgr.AcgrPageView. The page gets connect-streams-dr.js's `globalConnect.core` as a facade
    (extension/page_api/main.js) over one real Streams per region, each in a regional realm of its own (a
    same-origin blank frame into which the background loads Streams) and each its own region's plain host: it
    hears its region's traffic, never the DR events (the extension's host rules act on those), and sends nothing of
    the protocol's (no failover or failoverTo from the page). The facade hears the tab's decisions: the region
    shown (onFailoverComplete, window.connect rebound, primaryRegion and secondaryRegion swapped) and a failover
    pending on a contact (onFailoverPending with the ARN of the region it waits to switch to)."""

    # The registrations (platform/background/content_scripts): only the facade's script in the top's main world
    # (the build's load list of that name); Streams is loaded into each regional realm on request.
    MAIN_FILES = "page_api_legacy_main"
    REGIONAL_REALMS = True

    def __init__(self, config, shown):
        self.config = config
        self.shown = shown      # the region the facade was told is active
        self.pending = None     # the target of the failover it was told is pending

    def hears_from(self, region):
        """Each region's Streams is that region's own host."""
        return region in self.config.region_keys

    def on_host_event(self, region, event):
        """None: a plain Streams host sends nothing of legacy DR's; DR control is the extension's (dropped)."""
        return None

    def decisions(self, rules, agent):
        """The facade's messages for what `rules` (this tab's LegacyDrRules) decided since it was last told."""
        if rules.shown != self.shown:
            self.shown, self.pending = rules.shown, None
            return [("facade", {"event": "complete", "region": self.shown})]
        if rules.pending_target == self.pending:
            return []
        self.pending = rules.pending_target
        if self.pending is None:
            return []
        return [("facade", {"event": "pending", "nextActiveArn": self.config.region(self.pending).instance_arn})]
