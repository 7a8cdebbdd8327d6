"""The interface of a Global Resiliency protocol's tab-side host rules: what the tab session (platform), the
conduits (core.ccp_conduit) and the background ask of it. Each protocol implements it in a core module of its own
(legacy_dr, acgr); core.protocols picks one for the configuration. The rules answer with core.tab_actions.

Nothing imports this module at run time (the tab session relies on the methods being there, and a class that
only says so would be shipped in the content script for nothing); the unit tests check that every protocol
implements all of it, with the same signatures, and defines every trait."""


class HostRules:
    """One tab's host rules of a protocol. State the tab session reads: `shown` and `hidden` (region keys), `epoch`
    (the background's switch count this tab knows of, its own switches counted: core.tab_epoch, the base class
    of every protocol's rules; reports carry it), `pending_target` (the region a failover shown in this tab waits
    to switch to, or None).

    CCP_EVENTS: {event name: parser(data) -> payload} of the CCP -> host events this protocol handles, beside the
    shared ones (ccp_messages); the frame bridge hands over only those events. A parser raises ProtocolError.

    Traits (class attributes, read by the tab session and the background through core.protocols):
      BLOCKING_CONTACT_TYPES   contact types a pending failover waits for (snapshot.AgentSnapshot.to_summary)
      COMPLETES_STUCK_FAILOVER whether the background completes a pending failover itself, every tab following
                               it (on_global_region): one whose contact is gone when no CCP completes it
                               (core.global_state.stuck_check_due), and the agent's Switch now; otherwise Switch
                               now asks the tabs showing the active region (on_switch_now)
      ANNOUNCES_REGIONS        whether each CCP announces its region (ACGR's init): the background checks the
                               configured region names against it and says which CCP has not announced
      SWITCH_NOW               whether on_switch_now can end a pending failover (the popup's Switch now)
      MANUAL_FAILOVER          whether the background can switch regions while no failover is in flight (the
                               administrator's manual failover, core.manual_failover), every tab following it
                               (on_global_region, forced): the host's own deactivate/activate, as the
                               reference's failoverTo. ACGR's CCPs act on force_failover only while a failover
                               is pending, so only legacy DR can"""

    CCP_EVENTS = {}
    BLOCKING_CONTACT_TYPES = ()
    COMPLETES_STUCK_FAILOVER = False
    ANNOUNCES_REGIONS = False
    SWITCH_NOW = False
    MANUAL_FAILOVER = False

    def frame_created_messages(self, region):
        """Messages posted to a new CCP frame of `region` before it acknowledges anything."""
        raise NotImplementedError

    def sign_in_check(self, region):
        """None, or (message, timeout ms): what the conduit posts on a CCP window's first acknowledge before the
        handshake, and how long it waits for the answer (tab_actions.SignInChecked) before it goes on as if
        valid."""
        raise NotImplementedError

    def handshake_messages(self, region):
        """Messages posted once a CCP window of the region acknowledged its port (and passed the sign-in check, if
        any): every new window, also one that replaced the last in the same frame. They carry the state the tab
        wants the region in (legacy DR: activated again if this tab activated it; ACGR: configure's
        instanceState), so that a window that missed a switch's messages learns it. The conduit then starts the
        heartbeat."""
        raise NotImplementedError

    def configure_message(self, region):
        """The configure message, also the answer to the CCP's request_configure."""
        raise NotImplementedError

    def on_ccp_event(self, region, event, payload):
        """Actions (core.tab_actions) for one of CCP_EVENTS (payload: its parser's result) from `region`'s CCP."""
        raise NotImplementedError

    def on_agent_update(self, region, snapshot):
        """Actions for the region's agent::update (snapshot.AgentSnapshot)."""
        raise NotImplementedError

    def on_global_region(self, region, epoch=None, failover=None, forced=False):
        """Actions for the background's active region (and the epoch it is at, when it says, the failover in
        flight, {"target", "pending"} or None, and whether the switch was the agent's Switch now); none for word
        older than what the tab knows (TabEpoch._hears). Implemented once, by core.tab_epoch.TabEpoch, on each
        protocol's `_follow(region, forced)`."""
        raise NotImplementedError

    def on_switch_now(self):
        """Actions for the agent's Switch now (the background asks the tabs that show the active region): end
        the pending failover now, cutting off the contact it waits for."""
        raise NotImplementedError
