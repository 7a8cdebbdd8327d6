"""The administrator's manual failover (outage.manualFailover, off by default): the popup's "Fail over to <region>"
while no failover is in flight, the reference's globalConnect.core.failoverTo(region, false) minus its defects. The
background switches at once and every tab, on every site, follows it (core.global_state.on_manual_failover: forced,
so each tab deactivates the old region hard — suppress, set_offline — and activates the new one); the reference
switched only when its worker's failover came back, and a tab whose CCP was not the failover master only suppressed.
A request for the region already active is a no-op answered with a message (the reference threw a TypeError); a
region that is not configured is refused.

Only where the protocol can (HostRules.MANUAL_FAILOVER: legacy DR; ACGR's CCPs act on force_failover only while a
failover is pending). It does not change the traffic distribution group the legacy CCP workers poll: if it still
names the old region, the new region's worker fails back at its next poll (60 s at most) — GlobalState marks that
switch `afterManual` and the popup says why."""


def offered(config, traits):
    """Whether the popup offers it: the configuration enables it and the protocol can do it."""
    return bool(config.outage["manualFailover"]) and bool(traits.MANUAL_FAILOVER)


def refusal(config, traits, state, target):
    """Why a manual failover to `target` is not done now (the text the popup shows), or None when the background
    may switch: not offered, a region that is not configured, the region already active (a no-op), or a failover
    already in flight."""
    if not traits.MANUAL_FAILOVER:
        return f"the {config.protocol} protocol has no manual failover (its CCPs switch only a failover in flight)"
    if not config.outage["manualFailover"]:
        return "manual failover is not enabled by the configuration (outage.manualFailover)"
    if target not in config.region_keys:
        return f"{target} is not a configured region"
    if target == state.active:
        return f"{target} is already active: nothing to do"
    if state.failover is not None:
        return f"a failover to {state.failover['target']} is in flight (Switch now ends a pending one)"
    return None
