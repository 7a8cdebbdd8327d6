"""What the tab session tells the background of a failover's phases and of each CCP's announcement (its Detected,
Pending, Initiated, Complete and Announced actions), with their log lines and the status line. Each reads the
state the rules had when they decided; the session's report queue sends it after the message."""
from browser import window

from grccp.core.tab_actions import Announced, Complete, Detected, Initiated, Pending


def performers(session):
    """{action type: perform(action)} for the session's table."""
    return {Detected: lambda action: _detected(session, action), Pending: lambda action: _pending(session, action),
            Initiated: lambda action: _initiated(session, action), Complete: lambda action: _complete(session, action),
            Announced: lambda action: _announced(session, action)}


def _detected(session, action):
    back = action.target == session.rules.shown  # the failover in flight turned back
    session.log(action.target, "INFO", f"the active region is {action.target} again: no switch" if back else
                f"failover to {action.target} detected (soft: {action.soft})")
    session.hold("cs:failover-detected", region=action.target, soft=action.soft, epoch=session.rules.epoch)
    if back:
        session.show_status()


def _pending(session, action):
    session.log(action.target, "INFO",
                f"failover to {action.target} pending on {action.contact_type} contact {action.contact_id}")
    session.send("cs:failover-pending", region=action.target, contactId=action.contact_id,
                 contactType=action.contact_type, epoch=session.rules.epoch)
    session.show_status()


def _initiated(session, action):
    session.log(action.target, "INFO", f"failover to {action.target} initiated: shown, waiting for its CCP")
    session.send("cs:failover-initiated", region=action.target, epoch=session.rules.epoch)
    session.show_status()


def _complete(session, action):
    session.send("cs:switch-complete", region=action.region, fromRegion=action.from_region, epoch=action.epoch)
    session.show_status()


def _announced(session, action):
    window.performance.mark(f"grccp-announced-{action.region}")  # benchmark: the CCP's init (tests/bench)
    session.start_step_done(action.region, "announcement")
    session.send("cs:region-announced", region=action.region, instanceRegion=action.instance_region,
                 activeRegion=action.active_region, shown=session.rules.shown, epoch=session.rules.epoch)
