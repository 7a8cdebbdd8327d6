"""The administrator's manual failover (the popup's confirmed "Fail over to <region>", popup:manual-failover through
page_requests): core.manual_failover decides whether it is done (the option on, a protocol that can, a configured
region, not the active one, no failover in flight); if so GlobalState completes the switch at once, forced, and
every tab follows it (the old region's contacts ended, the new region activated)."""
from grccp.core import manual_failover
from grccp.platform.shared import clock


def fail_over(engine, target, forced_by):
    """The manual failover to `target` asked by `forced_by` (core.global_state.FORCED_BY): None once switched and
    every tab told, else why nothing was done."""
    if engine.config is None or engine.state is None:
        return "not configured"
    problem = manual_failover.refusal(engine.config, engine.traits(), engine.state, target)
    source = engine.state.active
    if problem is not None:
        engine.log(source, "INFO", f"manual failover to {target} ({forced_by}) not done: {problem}")
        return problem
    engine.state.on_manual_failover(target, clock.now_ms(), forced_by)
    engine.log(source, "WARN", f"manual failover ({forced_by}) from {source} to {target}: its contacts are ended; "
                               f"the CCPs' next poll switches back unless the traffic distribution group names "
                               f"{target}")
    engine.tabs.tell_region_to_all()
    engine.changed()
    return None
